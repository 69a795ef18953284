// Package acs holds what the two Alibaba adapters (RPC and ROA) share: authentication against the core,
// and the gateway error envelope that both old and new Alibaba SDKs parse.
package acs

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
	"github.com/sluice-dev/sluice/api/acsauth"
)

// Keys finds an access key, with its clear-text secret, and its user.
type Keys interface {
	Authenticate(ctx context.Context, keyID string) (*sluice.AccessKey, *sluice.User, error)
}

// Authenticator verifies Alibaba signatures and puts the caller into the request context.
type Authenticator struct {
	keys     Keys
	Verifier *acsauth.Verifier
	offset   atomic.Int64 // added to the clock, see ShiftClock
}

// NewAuthenticator returns an Authenticator over the core's keys and the store's nonces.
func NewAuthenticator(keys Keys, nonces sluice.NonceStore) *Authenticator {
	a := &Authenticator{keys: keys}
	a.Verifier = &acsauth.Verifier{Keys: keyStore{keys}, Nonces: nonceStore{nonces},
		Now: func() time.Time { return time.Now().Add(time.Duration(a.offset.Load())) }}
	return a
}

// ShiftClock moves the verifier's idea of the current time by d, safely while requests are served. Tests
// use it to show that stale requests are refused.
func (a *Authenticator) ShiftClock(d time.Duration) { a.offset.Store(int64(d)) }

// keyStore adapts the core to acsauth.KeyStore.
type keyStore struct{ keys Keys }

func (s keyStore) LookupSecret(ctx context.Context, id string) (string, error) {
	k, _, err := s.keys.Authenticate(ctx, id)
	switch {
	case sluice.ErrorCode(err) == sluice.ENOTFOUND:
		return "", fmt.Errorf("%w: %s", acsauth.ErrKeyNotFound, id)
	case err != nil:
		return "", err
	case !k.Enabled:
		return "", fmt.Errorf("%w: %s", acsauth.ErrKeyDisabled, id)
	}
	return k.Secret, nil
}

// nonceStore adapts sluice.NonceStore to acsauth.NonceStore. Nonces are remembered per access key.
type nonceStore struct{ nonces sluice.NonceStore }

func (s nonceStore) UseNonce(ctx context.Context, keyID, nonce string, expires time.Time) (bool, error) {
	return s.nonces.UseNonce(ctx, "acs:"+keyID+":"+nonce, expires)
}

// Caller returns ctx with the caller of a verified request. A key deleted or disabled since the signature
// was checked is refused as the verifier refuses it, the same on every face.
func (a *Authenticator) Caller(ctx context.Context, res acsauth.Result) (context.Context, error) {
	k, u, err := a.keys.Authenticate(ctx, res.AccessKeyID)
	switch {
	case sluice.ErrorCode(err) == sluice.ENOTFOUND:
		return nil, &acsauth.Error{Status: http.StatusNotFound, Code: acsauth.CodeInvalidAccessKeyNotFound,
			Message: "Specified access key is not found."}
	case err != nil:
		return nil, fmt.Errorf("load caller of key %s: %w", res.AccessKeyID, err)
	case !k.Enabled:
		return nil, &acsauth.Error{Status: http.StatusBadRequest, Code: acsauth.CodeInvalidAccessKeyInactive,
			Message: "Specified access key is disabled."}
	}
	api.InfoFromContext(ctx).AccessKeyID = k.ID
	return sluice.NewContextWithCaller(ctx, &sluice.Caller{User: u, AccessKeyID: k.ID}), nil
}

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
	var ae *acsauth.Error
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
