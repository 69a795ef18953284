package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sluice-dev/sluice"
)

func TestMemoryNonceStore(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s := &MemoryNonceStore{Now: func() time.Time { return now }}
	ctx := context.Background()
	use := func(ak, n string, exp time.Time) bool {
		fresh, err := s.UseNonce(ctx, ak, n, exp)
		if err != nil {
			t.Fatal(err)
		}
		return fresh
	}
	if !use("a", "n", now.Add(time.Minute)) || use("a", "n", now.Add(time.Minute)) {
		t.Fatal("second use of a nonce was fresh")
	}
	if !use("b", "n", now.Add(time.Minute)) {
		t.Fatal("nonces are per access key")
	}
	now = now.Add(2 * time.Minute)
	if !use("a", "n", now.Add(time.Minute)) {
		t.Fatal("an expired nonce was not forgotten")
	}
	for i := range 1000 {
		use("c", string(rune(i)), now.Add(-time.Second))
	}
	if len(s.seen) > 300 {
		t.Errorf("store kept %d expired nonces", len(s.seen))
	}
}

// verifierFunc adapts a function to Verifier.
type verifierFunc func(r *http.Request, body []byte) (Signed, error)

func (f verifierFunc) Verify(r *http.Request, body []byte) (Signed, error) { return f(r, body) }

type keysFunc func(ctx context.Context, id string) (*sluice.AccessKey, *sluice.User, error)

func (f keysFunc) Authenticate(ctx context.Context, id string) (*sluice.AccessKey, *sluice.User, error) {
	return f(ctx, id)
}

func TestAuthenticator(t *testing.T) {
	notMine := verifierFunc(func(*http.Request, []byte) (Signed, error) { return Signed{}, ErrNotSigned })
	signedBy := func(id string) Verifier {
		return verifierFunc(func(*http.Request, []byte) (Signed, error) { return Signed{AccessKeyID: id, Scheme: "test"}, nil })
	}
	keys := keysFunc(func(_ context.Context, id string) (*sluice.AccessKey, *sluice.User, error) {
		switch id {
		case "AK1":
			return &sluice.AccessKey{ID: id, Enabled: true}, &sluice.User{Name: "alice"}, nil
		case "OFF":
			return &sluice.AccessKey{ID: id}, &sluice.User{Name: "bob"}, nil
		case "DOWN":
			return nil, nil, errors.New("database is down")
		}
		return nil, nil, sluice.Errorf(sluice.ENOTFOUND, "no key")
	})
	refuse := func(reason AuthReason) *AuthError {
		return &AuthError{Reason: reason, Status: 401, Code: string(reason)}
	}
	reason := func(err error) AuthReason {
		var ae *AuthError
		if !errors.As(err, &ae) {
			return ""
		}
		return ae.Reason
	}
	r := httptest.NewRequest("GET", "/", nil)

	t.Run("FirstSchemeThatClaims", func(t *testing.T) {
		a := &Authenticator{Keys: keys, Refuse: refuse, Verifiers: []Verifier{notMine, signedBy("AK1"), signedBy("OTHER")}}
		ctx, s, err := a.Authenticate(r, nil)
		if err != nil || s.AccessKeyID != "AK1" || sluice.CallerFromContext(ctx).User.Name != "alice" {
			t.Fatalf("%v %+v", err, s)
		}
	})
	t.Run("NoSchemeClaims", func(t *testing.T) {
		a := &Authenticator{Keys: keys, Refuse: refuse, Verifiers: []Verifier{notMine, notMine}}
		ctx, _, err := a.Authenticate(r, nil)
		if reason(err) != AuthMissing || ctx == nil || sluice.CallerFromContext(ctx) != nil {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("WrongSignatureStops", func(t *testing.T) {
		bad := verifierFunc(func(*http.Request, []byte) (Signed, error) { return Signed{}, &AuthError{Reason: AuthMismatch} })
		a := &Authenticator{Keys: keys, Refuse: refuse, Verifiers: []Verifier{bad, signedBy("AK1")}}
		if _, _, err := a.Authenticate(r, nil); reason(err) != AuthMismatch {
			t.Fatalf("err = %v: a failed signature must not fall through to another scheme", err)
		}
	})
	t.Run("KeyGoneAfterVerify", func(t *testing.T) {
		for id, want := range map[string]AuthReason{"GONE": AuthUnknownKey, "OFF": AuthDisabledKey, "DOWN": ""} {
			a := &Authenticator{Keys: keys, Refuse: refuse, Verifiers: []Verifier{signedBy(id)}}
			_, _, err := a.Authenticate(r, nil)
			if err == nil || reason(err) != want {
				t.Errorf("%s: err = %v, want reason %q", id, err, want)
			}
		}
	})
}
