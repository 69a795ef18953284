package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/sluice-dev/sluice"
)

// The authentication seam. Every face authenticates the same way: a Verifier per signature scheme checks
// the request and names the access key that signed it, then an Authenticator loads that key's user from
// the core and puts the caller into the context. Verifiers know their vendor's algorithm and gateway codes;
// nothing here knows any vendor.

// ErrNotSigned is a Verifier's answer for a request that carries no signature of its scheme, so another
// scheme may claim it. It differs from an *AuthError, which says the request claims the scheme and fails it.
var ErrNotSigned = errors.New("api: the request is not signed with this scheme")

// AuthReason says, in no vendor's words, why a request failed authentication. Faces and logs may branch on
// it; callers see the vendor's code.
type AuthReason string

// The reasons.
const (
	AuthMissing     AuthReason = "missing"      // no signature, or a part the scheme requires is absent
	AuthMalformed   AuthReason = "malformed"    // signature material present but not well formed
	AuthUnsupported AuthReason = "unsupported"  // an algorithm, method or token type Sluice does not accept
	AuthUnknownKey  AuthReason = "unknown_key"  // no such access key
	AuthDisabledKey AuthReason = "disabled_key" // the key exists but is disabled
	AuthBadTime     AuthReason = "bad_time"     // the signed time is unreadable
	AuthExpired     AuthReason = "expired"      // the signed time is outside the allowed window
	AuthReplayed    AuthReason = "replayed"     // the nonce (or signature standing for it) was used already
	AuthMismatch    AuthReason = "mismatch"     // the signature, or the body hash it covers, does not match
)

// AuthError is a request that failed authentication by the caller's doing. Status, Code and Message are
// the vendor gateway's words, chosen by the scheme's verifier (or by the face's Refuse); Message is safe
// to show the caller.
type AuthError struct {
	Reason  AuthReason
	Status  int
	Code    string
	Message string
}

func (e *AuthError) Error() string { return e.Code + ": " + e.Message }

// Signed is what a Verifier proved about a request.
type Signed struct {
	AccessKeyID string
	Scheme      string // e.g. "acs3", "sdk-hmac-sha256"
	// Action and Version are what the client signed, for schemes that sign them (Alibaba's); else "".
	Action  string
	Version string
}

// Verifier checks requests signed with one scheme.
type Verifier interface {
	// Verify authenticates r, whose body has already been read into body. It returns ErrNotSigned when r
	// carries no signature of this scheme, an *AuthError when the signature fails, and any other error
	// for an outage (a key or nonce store that did not answer), which faces answer with a 500.
	Verify(r *http.Request, body []byte) (Signed, error)
}

// Keys is the core's view of access keys: a key with its clear-text secret, and its user.
type Keys interface {
	Authenticate(ctx context.Context, keyID string) (*sluice.AccessKey, *sluice.User, error)
}

// Authenticator turns a request into its caller: the first verifier that recognises its scheme decides,
// then the key's user is loaded from Keys.
type Authenticator struct {
	Keys      Keys
	Verifiers []Verifier
	// Refuse gives the face's words for failures found outside a verifier: AuthMissing when no verifier
	// recognised the request, and AuthUnknownKey / AuthDisabledKey when the key was deleted or disabled
	// between checking the signature and loading the caller.
	Refuse func(AuthReason) *AuthError
	// Limits throttles requests per access key and API once their signature is proven; nil: no limits.
	Limits *Limiter
}

// Authenticate verifies r (its body read into body) and returns r's context carrying the caller. On
// failure the context is r's own, so the face can still render the error with it.
func (a *Authenticator) Authenticate(r *http.Request, body []byte) (context.Context, Signed, error) {
	for _, v := range a.Verifiers {
		s, err := v.Verify(r, body)
		if errors.Is(err, ErrNotSigned) {
			continue
		}
		if err != nil {
			return r.Context(), Signed{}, err
		}
		// Throttled here, after the signature (so nobody spends another key's tokens) and before the
		// caller is loaded or any handler works. The face named its API in Info before authenticating.
		if a.Limits != nil {
			info := InfoFromContext(r.Context())
			info.AccessKeyID = s.AccessKeyID
			if err := a.throttle(info, s.AccessKeyID); err != nil {
				return r.Context(), Signed{}, err
			}
		}
		ctx, err := a.caller(r.Context(), s)
		if err != nil {
			return r.Context(), Signed{}, err
		}
		return ctx, s, nil
	}
	return r.Context(), Signed{}, a.Refuse(AuthMissing)
}

// caller loads the user of a verified key. A key deleted or disabled since the signature was checked is
// refused as a verifier refuses it, the same on every face.
func (a *Authenticator) caller(ctx context.Context, s Signed) (context.Context, error) {
	k, u, err := a.Keys.Authenticate(ctx, s.AccessKeyID)
	switch {
	case sluice.ErrorCode(err) == sluice.ENOTFOUND:
		return nil, a.Refuse(AuthUnknownKey)
	case err != nil:
		return nil, fmt.Errorf("load caller of key %s: %w", s.AccessKeyID, err)
	case !k.Enabled:
		return nil, a.Refuse(AuthDisabledKey)
	}
	InfoFromContext(ctx).AccessKeyID = k.ID
	return sluice.NewContextWithCaller(ctx, &sluice.Caller{User: u, AccessKeyID: k.ID}), nil
}

// DefaultMaxSkew is how far a signed request time may be from the server's clock: the window both vendors
// document (Alibaba's Timestamp and x-acs-date, Huawei's X-Sdk-Date).
const DefaultMaxSkew = 15 * time.Minute

// Window is the clock a verifier checks signed times against, and how far they may stray from it.
type Window struct {
	Now     func() time.Time // nil = time.Now
	MaxSkew time.Duration    // 0 = DefaultMaxSkew
}

// Time is the verifier's current time.
func (w Window) Time() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// Skew is the window's half-width; a nonce need be remembered only until its request's time + Skew.
func (w Window) Skew() time.Duration {
	if w.MaxSkew > 0 {
		return w.MaxSkew
	}
	return DefaultMaxSkew
}

// Within reports whether ts is at most Skew from Time.
func (w Window) Within(ts time.Time) bool {
	d := w.Time().Sub(ts)
	return d <= w.Skew() && d >= -w.Skew()
}

// KeyStore gives a verifier an access key's secret.
type KeyStore interface {
	// LookupSecret returns the secret of accessKeyID, or an error wrapping ErrKeyNotFound / ErrKeyDisabled.
	LookupSecret(ctx context.Context, accessKeyID string) (secret string, err error)
}

// Sentinel errors a KeyStore wraps to tell the verifier why it has no secret.
var (
	ErrKeyNotFound = errors.New("access key not found")
	ErrKeyDisabled = errors.New("access key disabled")
)

// KeySecrets is a KeyStore over the core's keys.
func KeySecrets(keys Keys) KeyStore { return keySecrets{keys} }

type keySecrets struct{ keys Keys }

func (s keySecrets) LookupSecret(ctx context.Context, id string) (string, error) {
	k, _, err := s.keys.Authenticate(ctx, id)
	switch {
	case sluice.ErrorCode(err) == sluice.ENOTFOUND:
		return "", fmt.Errorf("%w: %s", ErrKeyNotFound, id)
	case err != nil:
		return "", err
	case !k.Enabled:
		return "", fmt.Errorf("%w: %s", ErrKeyDisabled, id)
	}
	return k.Secret, nil
}

// NonceStore remembers nonces so a signed request is accepted once.
type NonceStore interface {
	// UseNonce records nonce for accessKeyID until expires; fresh is false if it was already recorded.
	UseNonce(ctx context.Context, accessKeyID, nonce string, expires time.Time) (fresh bool, err error)
}

// SignatureNonce is the nonce that stands for one of a request whose scheme sends none (the old Alibaba SDK's
// legacy ROA, Huawei's SDK-HMAC-SHA256): its signature, which covers its content and its second-resolution
// date, so a captured write cannot be sent again inside the time window (and outside it the date check
// refuses it). The price: two byte-identical writes signed in one second collide, and the second is
// refused. Reads (GET, HEAD) get "": nothing is recorded, since a client polling a resource repeats
// byte-identical requests within a second and replaying a read changes nothing. prefix keeps these apart
// from client-chosen nonces.
func SignatureNonce(method, prefix, signature string) string {
	if method == http.MethodGet || method == http.MethodHead {
		return ""
	}
	return prefix + signature
}

// ScopedNonces is a NonceStore over the database's nonces (shared by every replica). Nonces are kept per
// access key and per scope, so that one vendor's nonce can never collide with another's.
func ScopedNonces(store sluice.NonceStore, scope string) NonceStore {
	return scopedNonces{store, scope}
}

type scopedNonces struct {
	store sluice.NonceStore
	scope string
}

func (s scopedNonces) UseNonce(ctx context.Context, keyID, nonce string, expires time.Time) (bool, error) {
	return s.store.UseNonce(ctx, s.scope+":"+keyID+":"+nonce, expires)
}

// StaticKeys is a KeyStore over a fixed map from access key id to secret, for tests and single-user setups.
type StaticKeys map[string]string

// LookupSecret implements KeyStore.
func (k StaticKeys) LookupSecret(_ context.Context, accessKeyID string) (string, error) {
	secret, ok := k[accessKeyID]
	if !ok {
		return "", fmt.Errorf("access key %q: %w", accessKeyID, ErrKeyNotFound)
	}
	return secret, nil
}

// MemoryNonceStore is a NonceStore for a single server process. The zero value is ready to use.
type MemoryNonceStore struct {
	Now func() time.Time // nil = time.Now; pin it together with the verifier's clock in tests

	mu    sync.Mutex
	seen  map[string]time.Time
	calls int
}

// UseNonce implements NonceStore.
func (s *MemoryNonceStore) UseNonce(_ context.Context, accessKeyID, nonce string, expires time.Time) (bool, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	t := now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = make(map[string]time.Time)
	}
	// Prune now and then rather than on every call: the map only has to stay bounded by the request rate
	// times the window.
	if s.calls++; s.calls%256 == 0 {
		for k, exp := range s.seen {
			if exp.Before(t) {
				delete(s.seen, k)
			}
		}
	}
	key := accessKeyID + "\x00" + nonce
	if exp, ok := s.seen[key]; ok && !exp.Before(t) {
		return false, nil
	}
	s.seen[key] = expires
	return true, nil
}

var (
	_ KeyStore   = StaticKeys(nil)
	_ NonceStore = (*MemoryNonceStore)(nil)
)

// NonceCheck lets a read-only request be served while its nonce is being recorded. The nonce of every
// signed request is committed durably before the request is answered, and a replay is refused; but a
// read changes nothing, so its reading need not wait for that commit, only its answer does. A face marks a
// read-only request with WithNonceCheck before authenticating it; the verifier then starts recording the
// nonce (Defer) and goes on, and the face calls Wait before it writes any answer: an error from Wait
// (the nonce was used before, or could not be recorded) is the answer instead. The request's latency is
// then the longer of the commit and the read, not their sum.
type NonceCheck struct {
	done chan struct{}
	err  error
	used bool
}

type nonceCheckKey struct{}

// WithNonceCheck returns ctx marked for a deferred nonce check, and the check the face must Wait for.
func WithNonceCheck(ctx context.Context) (context.Context, *NonceCheck) {
	c := &NonceCheck{}
	return context.WithValue(ctx, nonceCheckKey{}, c), c
}

// Defer runs record in its own goroutine when ctx is marked with WithNonceCheck, and reports true;
// otherwise it reports false and the caller records the nonce itself, before going on. A request has one
// nonce: a second Defer on one check records synchronously.
func Defer(ctx context.Context, record func() error) bool {
	c, _ := ctx.Value(nonceCheckKey{}).(*NonceCheck)
	if c == nil || c.used {
		return false
	}
	c.used, c.done = true, make(chan struct{})
	go func() {
		defer close(c.done)
		c.err = record()
	}()
	return true
}

// Wait waits for the deferred nonce, if one was deferred, and returns its error.
func (c *NonceCheck) Wait() error {
	if c == nil || c.done == nil {
		return nil
	}
	<-c.done
	return c.err
}
