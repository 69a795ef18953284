// Package alibaba holds what the Alibaba faces (RPC and ROA, and Sluice's native API, signed the same way)
// share: their authenticators, and the mapping of errors to the gateway's terms that both old and new
// Alibaba SDKs parse.
package alibaba

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sluice-dev/sluice"
	"github.com/sluice-dev/sluice/api"
	"github.com/sluice-dev/sluice/api/alibaba/auth"
)

// RequestIDHeader is the response header carrying the request id on the Alibaba faces (and on Sluice's
// native API, which is signed the same way); the SDKs read it when the body has no RequestId.
const RequestIDHeader = "x-acs-request-id"

// Authenticator verifies Alibaba signatures: RPC for requests at "/", ROA for ROA paths and Sluice's
// native API. Both share one Verifier, hence one clock and one nonce scope.
type Authenticator struct {
	Verifier *auth.Verifier
	RPC      *api.Authenticator
	ROA      *api.Authenticator
	Stream   *api.Authenticator // native uploads streaming their body: ACS3 over its declared SHA-256
	offset   atomic.Int64       // added to the clock, see ShiftClock
}

// NewAuthenticator returns an Authenticator over the core's keys and the store's nonces.
func NewAuthenticator(keys api.Keys, nonces sluice.NonceStore) *Authenticator {
	a := &Authenticator{}
	// "acs" keeps Alibaba nonces apart from other vendors'; it is the prefix the database has always had.
	a.Verifier = &auth.Verifier{Keys: api.KeySecrets(keys), Nonces: api.ScopedNonces(nonces, "acs"),
		Now: func() time.Time { return time.Now().Add(time.Duration(a.offset.Load())) }}
	a.RPC = &api.Authenticator{Keys: keys, Verifiers: []api.Verifier{a.Verifier.RPC()}, Refuse: auth.Refuse}
	a.ROA = &api.Authenticator{Keys: keys, Verifiers: []api.Verifier{a.Verifier.ROA()}, Refuse: auth.Refuse}
	a.Stream = &api.Authenticator{Keys: keys, Verifiers: []api.Verifier{a.Verifier.ACS3Stream()}, Refuse: auth.Refuse}
	return a
}

// ShiftClock moves the verifier's idea of the current time by d, safely while requests are served. Tests
// use it to show that stale requests are refused.
func (a *Authenticator) ShiftClock(d time.Duration) { a.offset.Store(int64(d)) }

// Problem is an error in Alibaba's terms: the HTTP status, code and caller-safe message to send.
type Problem struct {
	Status  int
	Code    string
	Message string
}

// Error lets an adapter return a precise vendor error (e.g. MissingProjectId) from a handler.
func (p *Problem) Error() string { return p.Code + ": " + p.Message }

// Codes is an adapter's table from sluice error codes to its vendor's codes.
type Codes map[string]Problem

// ProblemFor maps err to the vendor's terms: a *Problem is sent as it is, authentication failures keep their gateway code and status,
// sluice errors go through the adapter's table, and anything else is an internal error (whose cause the
// middleware logs; the caller sees a generic text).
func ProblemFor(ctx context.Context, err error, codes Codes) Problem {
	var pe *Problem
	if errors.As(err, &pe) {
		return *pe
	}
	var ae *api.AuthError
	if errors.As(err, &ae) {
		return Problem{Status: ae.Status, Code: ae.Code, Message: ae.Message}
	}
	if errors.Is(err, api.ErrBodyTooLarge) {
		return Problem{Status: http.StatusRequestEntityTooLarge, Code: "InvalidParameter.BodyTooLarge", Message: "The request body is too large."}
	}
	code := sluice.ErrorCode(err)
	p, ok := codes[code]
	if !ok || code == sluice.EINTERNAL {
		api.InfoFromContext(ctx).Err = err
		p = codes[sluice.EINTERNAL]
		if p.Code == "" {
			p = Problem{Status: http.StatusInternalServerError, Code: "InternalError"}
		}
		p.Message = "The request processing has failed due to some unknown error, exception or failure. Request id: " +
			sluice.RequestIDFromContext(ctx)
		return p
	}
	p.Message = sluice.ErrorMessage(err)
	return p
}

// RateLimitHeader adds, to the answer of a request refused by a rate limit, the gateway's header saying how
// long to wait: x-ratelimit-user-api for a per-API limit, x-ratelimit-user for a key's limit across APIs, as
// "Limit:BURST,Remain:0,TimeLeft:MS". darabonba reads TimeLeft (milliseconds) into its ThrottlingError's
// RetryAfter, which its retry policy waits for when the caller turned retries on (alibaba-rpc.md §7).
func RateLimitHeader(w http.ResponseWriter, ctx context.Context) {
	t := api.InfoFromContext(ctx).Throttled
	if t == nil {
		return
	}
	name := "x-ratelimit-user-api"
	if t.Rule.API == "*" {
		name = "x-ratelimit-user"
	}
	w.Header().Set(name, fmt.Sprintf("Limit:%d,Remain:0,TimeLeft:%d", t.Rule.Burst, max(1, t.RetryAfter.Milliseconds())))
}

// Recommend is the troubleshooting link the vendor's gateway puts in every error.
func Recommend(code string) string {
	return "https://api.aliyun.com/troubleshoot?q=" + code
}

// ServiceError is an error answer of a Sluice server as its own clients (the CLI's) report it.
type ServiceError struct {
	Status    int
	Code      string
	Message   string
	RequestID string
}

func (e *ServiceError) Error() string {
	return fmt.Sprintf("%s: %s (HTTP %d, request id %s)", e.Code, e.Message, e.Status, e.RequestID)
}

// Send sends a signed request of one of Sluice's own clients (hc nil: a client with a 60 s timeout) and
// returns the body of a 2xx answer. Any other answer is a *ServiceError read from the error body, whichever
// spelling it uses: the gateway's (Code, Message, RequestId) or the native API's (code, message, requestId).
func Send(hc *http.Client, req *http.Request) ([]byte, error) {
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return data, nil
	}
	return nil, ErrorOf(resp.StatusCode, data)
}

// ErrorOf reads an error answer, in either envelope's spelling (the gateway's or Sluice's native one).
func ErrorOf(status int, data []byte) error {
	var e struct {
		GCode      string `json:"Code"`
		GMessage   string `json:"Message"`
		GRequestID string `json:"RequestId"`
		NCode      string `json:"code"`
		NMessage   string `json:"message"`
		NRequestID string `json:"requestId"`
	}
	if json.Unmarshal(data, &e) != nil || e.GCode+e.NCode == "" {
		return &ServiceError{Status: status, Code: http.StatusText(status), Message: strings.TrimSpace(string(data))}
	}
	return &ServiceError{Status: status, Code: first(e.NCode, e.GCode), Message: first(e.NMessage, e.GMessage),
		RequestID: first(e.NRequestID, e.GRequestID)}
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
