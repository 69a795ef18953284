package api

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/sluice-dev/sluice"
)

// Request throttling, per access key and per API. A Limiter holds token buckets (golang.org/x/time/rate)
// in this process's memory: a shared bucket would cost a database write on every request, which is what
// the signed-request path was made to avoid, so with N replicas the effective limit is N times the
// configured one (docs/operations.md, "Throttling"). Authenticator consults it once the signature is
// proven, so a caller cannot spend another key's tokens, and before any handler runs; each face renders
// the refusal (sluice.ETHROTTLED) in its vendor's terms.

// RateLimitSyntax is the form of one rule, as flags, the environment and error messages spell it.
const RateLimitSyntax = "KEY:API=RATE/UNIT[:BURST]"

// RateLimit is one throttling rule.
type RateLimit struct {
	// Key is an access key id, or "*" for every key (each key still gets buckets of its own).
	Key string
	// API is "*" for one bucket per key across all APIs, else an API as the logs and metrics name it
	// ("rpc:ListProjects", "roa:GetProject", "dli:ListJobResources", "native:Whoami"), or a bare action
	// name ("ListProjects") matching that action on every face. Each such API gets a bucket per key.
	API string
	// Limit is the rate in requests per second; rate.Inf means unlimited (an exemption from a "*" rule).
	Limit rate.Limit
	// Burst is how many requests may come at once after a quiet spell.
	Burst int
	// Text is the rule as written, for messages; "" for a rule built in code.
	Text string
}

// String gives the rule back in RateLimitSyntax: as written, else per second.
func (r RateLimit) String() string {
	if r.Text != "" {
		return r.Text
	}
	if r.Limit == rate.Inf {
		return r.Key + ":" + r.API + "=unlimited"
	}
	return fmt.Sprintf("%s:%s=%s/s:%d", r.Key, r.API, strconv.FormatFloat(float64(r.Limit), 'f', -1, 64), r.Burst)
}

// ParseRateLimit reads one rule: KEY:API=RATE/UNIT[:BURST], where KEY is an access key id or *, API is * or
// an API name (see RateLimit.API; it may itself hold a colon, as in rpc:ListProjects), RATE a positive
// number, UNIT s, m or h, and BURST a positive integer (default RATE, at least 1). RATE/UNIT may instead be
// "unlimited", which exempts KEY (or API) from a broader rule.
func ParseRateLimit(s string) (RateLimit, error) {
	bad := func(why string) (RateLimit, error) {
		return RateLimit{}, fmt.Errorf("rate limit %q: %s; want %s, e.g. *:*=20/s:40 or LTAI5t...:rpc:ListProjects=2/s", s, why, RateLimitSyntax)
	}
	lhs, rhs, ok := strings.Cut(strings.TrimSpace(s), "=")
	if !ok {
		return bad("no '='")
	}
	key, api, ok := strings.Cut(lhs, ":")
	if !ok || key == "" || api == "" {
		return bad("name an access key (or *) and an API (or *) before '=', separated by ':'")
	}
	if strings.ContainsAny(lhs, " \t=") {
		return bad("spaces are not allowed in KEY:API")
	}
	if key != "*" && strings.Contains(key, "*") {
		return bad(fmt.Sprintf("key %q: use one access key id, or * for every key", key))
	}
	if api != "*" && (strings.Contains(api, "*") || strings.HasPrefix(api, ":") || strings.HasSuffix(api, ":") || strings.Count(api, ":") > 1) {
		return bad(fmt.Sprintf("API %q: use *, an action name such as ListProjects, or one face's action such as rpc:ListProjects", api))
	}
	r := RateLimit{Key: key, API: api, Text: strings.TrimSpace(s)}
	if rhs == "unlimited" {
		r.Limit, r.Burst = rate.Inf, 0
		return r, nil
	}
	rateText, burstText, hasBurst := strings.Cut(rhs, ":")
	num, unit, ok := strings.Cut(rateText, "/")
	if !ok {
		return bad(fmt.Sprintf("rate %q has no unit: write N/s, N/m or N/h", rateText))
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return bad(fmt.Sprintf("rate %q is not a positive number", num))
	}
	per := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}[unit]
	if per == 0 {
		return bad(fmt.Sprintf("unit %q: use s, m or h", unit))
	}
	r.Limit = rate.Limit(n / per.Seconds())
	// By default the whole of one unit's allowance may come at once: 10/m lets 10 requests through together,
	// then one every 6 s.
	r.Burst = max(1, int(n))
	if hasBurst {
		b, err := strconv.Atoi(burstText)
		if err != nil || b < 1 {
			return bad(fmt.Sprintf("burst %q is not a positive integer", burstText))
		}
		r.Burst = b
	}
	return r, nil
}

// ParseRateLimits reads rules (blank ones skipped) into a Limiter; nil when there are none, which
// throttles nothing. Two rules for the same KEY:API are refused, so no rule is silently ignored.
func ParseRateLimits(rules []string) (*Limiter, error) {
	var rs []RateLimit
	for _, s := range rules {
		if strings.TrimSpace(s) == "" {
			continue
		}
		r, err := ParseRateLimit(s)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return NewLimiter(rs)
}

// Limiter decides whether an access key may call an API now. A request passes two checks, each by the
// most specific rule that matches it (an exact key before *):
//   - the key's bucket across all APIs, from a KEY:* or *:* rule;
//   - the key's bucket for this API, from a KEY:API or *:API rule (a face-qualified API, rpc:ListProjects,
//     before a bare one, ListProjects; the key before the API).
//
// A request refused by either takes no token from the other. No rule that matches: no limit.
type Limiter struct {
	rules map[[2]string]*RateLimit // by {key, api}
	Now   func() time.Time         // nil = time.Now; tests pin it

	buckets sync.Map // bucketID -> *rate.Limiter
}

type bucketID struct {
	rule *RateLimit
	key  string
	api  string
}

// NewLimiter returns a Limiter over rules; nil for no rules.
func NewLimiter(rules []RateLimit) (*Limiter, error) {
	if len(rules) == 0 {
		return nil, nil
	}
	l := &Limiter{rules: make(map[[2]string]*RateLimit)}
	for i := range rules {
		r := rules[i]
		id := [2]string{r.Key, r.API}
		if _, dup := l.rules[id]; dup {
			return nil, fmt.Errorf("rate limit %s:%s is given twice; keep one", r.Key, r.API)
		}
		l.rules[id] = &r
	}
	return l, nil
}

// Throttled is a refusal: which rule refused, and how long until a request would pass.
type Throttled struct {
	Rule       RateLimit
	RetryAfter time.Duration
}

// Allow takes a token for one request of key on api (its full name, e.g. "rpc:ListProjects"); nil when
// the request may go on. A nil Limiter allows everything.
func (l *Limiter) Allow(key, api string) *Throttled {
	if l == nil {
		return nil
	}
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	var taken []*rate.Reservation
	var refused *Throttled
	for _, m := range [2]struct {
		rule   *RateLimit
		bucket string
	}{{l.find(key, "*"), "*"}, {l.forAPI(key, api), api}} {
		if m.rule == nil || m.rule.Limit == rate.Inf {
			continue
		}
		r := l.bucket(m.rule, key, m.bucket).ReserveN(now, 1)
		if d := r.DelayFrom(now); !r.OK() || d > 0 {
			r.CancelAt(now)
			refused = &Throttled{Rule: *m.rule, RetryAfter: max(d, time.Millisecond)}
			break
		}
		taken = append(taken, r)
	}
	if refused != nil {
		for _, r := range taken { // give back what the other bucket gave
			r.CancelAt(now)
		}
	}
	return refused
}

// find is the rule for exactly (key or *, api).
func (l *Limiter) find(key, api string) *RateLimit {
	if r := l.rules[[2]string{key, api}]; r != nil {
		return r
	}
	return l.rules[[2]string{"*", api}]
}

// forAPI is the most specific per-API rule for api, by its full name or its bare action name.
func (l *Limiter) forAPI(key, api string) *RateLimit {
	_, bare, qualified := strings.Cut(api, ":")
	for _, k := range [2]string{key, "*"} {
		if r := l.rules[[2]string{k, api}]; r != nil {
			return r
		}
		if qualified {
			if r := l.rules[[2]string{k, bare}]; r != nil {
				return r
			}
		}
	}
	return nil
}

// bucket is the token bucket of rule for key on api ("*" across APIs). Buckets are made on first use and
// kept: their number is bounded by the keys that signed a request times the APIs a face serves.
func (l *Limiter) bucket(rule *RateLimit, key, api string) *rate.Limiter {
	id := bucketID{rule, key, api}
	if b, ok := l.buckets.Load(id); ok {
		return b.(*rate.Limiter)
	}
	b, _ := l.buckets.LoadOrStore(id, rate.NewLimiter(rule.Limit, rule.Burst))
	return b.(*rate.Limiter)
}

// throttle checks the caller's key against a; the refusal is sluice.ETHROTTLED, which every face maps to
// its vendor's throttling code and 429, and Info.Throttled, whose wait Middleware sends as Retry-After.
func (a *Authenticator) throttle(info *Info, keyID string) error {
	t := a.Limits.Allow(keyID, info.API)
	if t == nil {
		return nil
	}
	info.Throttled = t
	return sluice.Errorf(sluice.ETHROTTLED, "Request was denied due to user flow control: access key %s is over its limit (%s); retry after %d s.",
		keyID, t.Rule, retryAfterSeconds(t.RetryAfter))
}

// retryAfterSeconds is d as Retry-After states it: whole seconds, rounded up, at least 1.
func retryAfterSeconds(d time.Duration) int64 {
	return max(1, int64(math.Ceil(d.Seconds())))
}
