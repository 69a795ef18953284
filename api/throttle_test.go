package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/sluice-dev/sluice"
)

func TestParseRateLimit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want RateLimit
	}{
		{"*:*=20/s:40", RateLimit{Key: "*", API: "*", Limit: 20, Burst: 40}},
		{"*:*=20/s", RateLimit{Key: "*", API: "*", Limit: 20, Burst: 20}},
		{"LTAIabc:rpc:ListProjects=2/s", RateLimit{Key: "LTAIabc", API: "rpc:ListProjects", Limit: 2, Burst: 2}},
		{"*:ListJobResources=0.5/s", RateLimit{Key: "*", API: "ListJobResources", Limit: 0.5, Burst: 1}},
		{"k:*=60/m", RateLimit{Key: "k", API: "*", Limit: 1, Burst: 60}},
		{"k:*=3600/h:5", RateLimit{Key: "k", API: "*", Limit: 1, Burst: 5}},
		{" k:* =unlimited", RateLimit{}}, // space inside KEY:API: refused below
		{"svc:*=unlimited", RateLimit{Key: "svc", API: "*", Limit: rate.Inf}},
	} {
		got, err := ParseRateLimit(tc.in)
		if tc.want == (RateLimit{}) {
			if err == nil {
				t.Errorf("%q: accepted as %v", tc.in, got)
			}
			continue
		}
		if tc.want.Text = strings.TrimSpace(tc.in); err != nil || got != tc.want {
			t.Errorf("%q = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseRateLimit_Refused(t *testing.T) {
	for in, why := range map[string]string{
		"20/s":                  "no '='",
		"*=20/s":                "separated by ':'",
		":*=20/s":               "separated by ':'",
		"k:=20/s":               "separated by ':'",
		"*:*=20":                "has no unit",
		"*:*=20/d":              `unit "d"`,
		"*:*=0/s":               "not a positive number",
		"*:*=-1/s":              "not a positive number",
		"*:*=fast/s":            "not a positive number",
		"*:*=NaN/s":             "not a positive number",
		"*:*=20/s:0":            "not a positive integer",
		"*:*=20/s:x":            "not a positive integer",
		"*:rpc:*=1/s":           "use *, an action name",
		"*:a:b:c=1/s":           "use *, an action name",
		"*:List*=1/s":           "use *, an action name",
		"k::List=1/s":           "use *, an action name",
		"LTAI*:*=1/s":           "use one access key id",
		"k y:*=1/s":             "spaces",
		"*:*=unlimited:3":       "has no unit",
		"LTAI:rpc:ListProjects": "no '='",
	} {
		_, err := ParseRateLimit(in)
		if err == nil || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), RateLimitSyntax) {
			t.Errorf("%q: err = %v, want one saying %q and showing %s", in, err, why, RateLimitSyntax)
		}
	}
	if _, err := ParseRateLimits([]string{"*:*=1/s", "", "*:*=2/s"}); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("a duplicate rule: err = %v", err)
	}
	if l, err := ParseRateLimits([]string{"", "  "}); l != nil || err != nil {
		t.Errorf("no rules: %v, %v; want no limiter", l, err)
	}
}

// clock is a settable time for a Limiter.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func limiter(t *testing.T, rules ...string) (*Limiter, *clock) {
	t.Helper()
	l, err := ParseRateLimits(rules)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{time.Unix(1_700_000_000, 0)}
	l.Now = c.now
	return l, c
}

// allowN counts how many of n requests at one instant pass.
func allowN(l *Limiter, key, api string, n int) int {
	ok := 0
	for range n {
		if l.Allow(key, api) == nil {
			ok++
		}
	}
	return ok
}

func TestLimiter_BurstThenRate(t *testing.T) {
	l, c := limiter(t, "*:*=2/s:3")
	if got := allowN(l, "k1", "rpc:ListProjects", 5); got != 3 {
		t.Fatalf("burst: %d of 5 passed, want 3", got)
	}
	th := l.Allow("k1", "rpc:ListProjects")
	if th == nil || th.RetryAfter <= 0 || th.RetryAfter > 500*time.Millisecond {
		t.Fatalf("over the burst: %+v, want a refusal with a wait of at most 0.5 s", th)
	}
	if retryAfterSeconds(th.RetryAfter) != 1 {
		t.Fatalf("Retry-After %d, want 1", retryAfterSeconds(th.RetryAfter))
	}
	// Each key has buckets of its own, even under a * rule.
	if got := allowN(l, "k2", "rpc:ListProjects", 3); got != 3 {
		t.Fatalf("another key: %d of 3 passed", got)
	}
	// Refused requests took nothing: after 0.5 s exactly one more passes.
	c.add(500 * time.Millisecond)
	if got := allowN(l, "k1", "native:Whoami", 3); got != 1 {
		t.Fatalf("after 0.5 s at 2/s: %d passed, want 1 (one bucket across APIs)", got)
	}
	c.add(time.Hour)
	if got := allowN(l, "k1", "rpc:ListProjects", 5); got != 3 {
		t.Fatalf("after a quiet hour: %d passed, want the burst of 3", got)
	}
}

func TestLimiter_Specificity(t *testing.T) {
	l, _ := limiter(t,
		"*:*=10/s",
		"vip:*=unlimited",
		"*:ListProjects=2/s",
		"*:native:ListProjects=3/s",
		"vip:rpc:GetProject=1/s",
	)
	// The per-API rule: a bare name matches every face, the face-qualified one wins on its face; each API has
	// its own bucket.
	if got := allowN(l, "k", "rpc:ListProjects", 5); got != 2 {
		t.Errorf("rpc:ListProjects: %d passed, want 2", got)
	}
	if got := allowN(l, "k", "native:ListProjects", 5); got != 3 {
		t.Errorf("native:ListProjects: %d passed, want 3", got)
	}
	// The across-API bucket (10) had 5 taken; an API without its own rule gets the rest.
	if got := allowN(l, "k", "rpc:GetProject", 10); got != 5 {
		t.Errorf("rpc:GetProject under *:*=10/s after 5: %d passed, want 5", got)
	}
	// vip is exempt across APIs, but its own per-API rule holds, and * per-API rules still apply to it.
	if got := allowN(l, "vip", "rpc:ListFiles", 100); got != 100 {
		t.Errorf("vip: %d of 100 passed", got)
	}
	if got := allowN(l, "vip", "rpc:GetProject", 3); got != 1 {
		t.Errorf("vip rpc:GetProject: %d passed, want 1", got)
	}
	if got := allowN(l, "vip", "rpc:ListProjects", 3); got != 2 {
		t.Errorf("vip rpc:ListProjects: %d passed, want 2", got)
	}
}

// TestLimiter_NoTokenTakenOnRefusal: a request refused by its API's bucket does not spend the key's
// across-API bucket, and one refused by that does not spend the API's.
func TestLimiter_NoTokenTakenOnRefusal(t *testing.T) {
	l, _ := limiter(t, "*:*=5/s", "*:rpc:ListProjects=1/s")
	if got := allowN(l, "k", "rpc:ListProjects", 10); got != 1 {
		t.Fatalf("ListProjects: %d passed, want 1", got)
	}
	if got := allowN(l, "k", "rpc:GetProject", 10); got != 4 {
		t.Fatalf("then GetProject: %d passed, want the 4 left across APIs", got)
	}
	l, _ = limiter(t, "*:*=1/s", "*:rpc:ListProjects=3/s")
	allowN(l, "k", "rpc:GetProject", 1)
	if got := allowN(l, "k", "rpc:ListProjects", 5); got != 0 {
		t.Fatalf("ListProjects with the key's bucket empty: %d passed", got)
	}
	l.Now = func() time.Time { return time.Unix(1_700_000_001, 0) }
	if got := allowN(l, "k", "rpc:ListProjects", 5); got != 1 {
		t.Fatalf("a second later: %d passed, want 1", got)
	}
}

func TestLimiter_NilAllowsAll(t *testing.T) {
	var l *Limiter
	if l.Allow("k", "rpc:ListProjects") != nil {
		t.Fatal("a nil limiter refused")
	}
}

type oneVerifier struct{ key string }

func (v oneVerifier) Verify(*http.Request, []byte) (Signed, error) {
	return Signed{AccessKeyID: v.key}, nil
}

type oneKey struct{}

func (oneKey) Authenticate(_ context.Context, id string) (*sluice.AccessKey, *sluice.User, error) {
	return &sluice.AccessKey{ID: id, Enabled: true}, &sluice.User{Name: "u"}, nil
}

// TestAuthenticator_Throttles: the seam every face passes refuses over-limit requests with ETHROTTLED,
// and Middleware sends Retry-After with the face's 429.
func TestAuthenticator_Throttles(t *testing.T) {
	l, _ := limiter(t, "k:*=1/s")
	a := &Authenticator{Keys: oneKey{}, Verifiers: []Verifier{oneVerifier{"k"}}, Limits: l}
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		InfoFromContext(r.Context()).API = "rpc:ListProjects"
		_, _, err := a.Authenticate(r, nil)
		if sluice.ErrorCode(err) == sluice.ETHROTTLED {
			http.Error(w, sluice.ErrorMessage(err), http.StatusTooManyRequests)
			return
		}
		if err != nil {
			t.Error(err)
		}
	}), slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	for i, want := range []int{200, 429} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != want {
			t.Fatalf("request %d: %d, want %d", i, rec.Code, want)
		}
		if ra := rec.Header().Get("Retry-After"); (want == 429) != (ra == "1") {
			t.Fatalf("request %d: Retry-After %q", i, ra)
		}
		if want == 429 && !strings.Contains(rec.Body.String(), "retry after 1 s") {
			t.Fatalf("message %q", rec.Body.String())
		}
	}
	var ae *AuthError
	if _, _, err := a.Authenticate(httptest.NewRequest("GET", "/", nil), nil); errors.As(err, &ae) || sluice.ErrorCode(err) != sluice.ETHROTTLED {
		t.Fatalf("err = %v, want ETHROTTLED (not an authentication failure)", err)
	}
}

// TestLimiter_Concurrent: requests racing on one key take exactly the burst, each token once.
func TestLimiter_Concurrent(t *testing.T) {
	l, _ := limiter(t, "*:*=1/h:200", "*:rpc:ListProjects=1/h:50")
	var passed atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			passed.Add(int64(allowN(l, "k", "rpc:ListProjects", 100)))
		})
	}
	wg.Wait()
	if passed.Load() != 50 {
		t.Fatalf("%d of 800 passed, want the burst of 50", passed.Load())
	}
	// The key's bucket across APIs got back every token the API's bucket refused: 150 are left.
	if got := allowN(l, "k", "rpc:GetProject", 300); got != 150 {
		t.Fatalf("then another API: %d passed, want 150", got)
	}
}
