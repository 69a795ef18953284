package openlineage_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sluice-dev/sluice/openlineage"
)

func TestClient_Emit(t *testing.T) {
	event := openlineage.JobEvent(versions["MultiInput"])

	t.Run("OK", func(t *testing.T) {
		var got struct {
			method, path, contentType, auth, extra string
			body                                   []byte
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.method, got.path = r.Method, r.URL.Path
			got.contentType, got.auth, got.extra = r.Header.Get("Content-Type"), r.Header.Get("Authorization"), r.Header.Get("X-Tenant")
			got.body, _ = io.ReadAll(r.Body)
			w.WriteHeader(http.StatusCreated) // Marquez answers 201
		}))
		defer srv.Close()
		c := &openlineage.Client{URL: srv.URL + "/api/v1/lineage", Token: "s3cret", Header: http.Header{"X-Tenant": {"t1"}}}
		if err := c.Emit(context.Background(), event); err != nil {
			t.Fatalf("Emit: %v", err)
		}
		if got.method != http.MethodPost || got.path != "/api/v1/lineage" || got.contentType != "application/json" {
			t.Errorf("request %s %s %s", got.method, got.path, got.contentType)
		}
		if got.auth != "Bearer s3cret" || got.extra != "t1" {
			t.Errorf("headers: Authorization %q, X-Tenant %q", got.auth, got.extra)
		}
		want, _ := openlineage.Marshal(event)
		if string(got.body) != string(want) {
			t.Errorf("body\n%s\nwant\n%s", got.body, want)
		}
		var decoded openlineage.Event
		if err := json.Unmarshal(got.body, &decoded); err != nil || decoded.Job.Name != event.Job.Name {
			t.Errorf("body does not decode to the event: %v", err)
		}
	})

	for _, tc := range []struct {
		status     int
		retryable  bool
		retryAfter string
	}{
		{http.StatusBadRequest, false, ""},
		{http.StatusUnauthorized, false, ""},
		{http.StatusNotFound, false, ""},
		{http.StatusUnprocessableEntity, false, ""},
		{http.StatusNotModified, false, ""},
		{http.StatusRequestTimeout, true, ""},
		{http.StatusTooManyRequests, true, "30"},
		{http.StatusInternalServerError, true, ""},
		{http.StatusBadGateway, true, ""},
		{http.StatusServiceUnavailable, true, "5"},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, `{"error":"`+strings.Repeat("x", 2000)+`"}`)
			}))
			defer srv.Close()
			err := (&openlineage.Client{URL: srv.URL}).Emit(context.Background(), event)
			var d *openlineage.DeliveryError
			if !errors.As(err, &d) {
				t.Fatalf("Emit: %v, want a *DeliveryError", err)
			}
			if d.StatusCode != tc.status || d.Retryable != tc.retryable || openlineage.IsRetryable(err) != tc.retryable {
				t.Errorf("status %d retryable %v, want %d %v", d.StatusCode, d.Retryable, tc.status, tc.retryable)
			}
			if tc.retryAfter != "" && d.RetryAfter <= 0 {
				t.Errorf("RetryAfter %v for Retry-After %s", d.RetryAfter, tc.retryAfter)
			}
			if tc.status != http.StatusNotModified && (!strings.HasPrefix(d.Body, `{"error":"xxx`) || len(d.Body) > 512) {
				t.Errorf("body kept for the log: %d bytes %.40q", len(d.Body), d.Body)
			}
		})
	}

	t.Run("ConnectionRefused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // nothing listens there now
		err = (&openlineage.Client{URL: "http://" + addr + "/api/v1/lineage"}).Emit(context.Background(), event)
		var d *openlineage.DeliveryError
		if !errors.As(err, &d) || !d.Retryable || d.StatusCode != 0 || d.Err == nil {
			t.Fatalf("Emit: %#v, want a retryable DeliveryError with no status", err)
		}
	})

	t.Run("Timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		start := time.Now()
		err := (&openlineage.Client{URL: srv.URL, Timeout: 50 * time.Millisecond}).Emit(context.Background(), event)
		if !openlineage.IsRetryable(err) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Emit: %v, want a retryable deadline error", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Emit took %v despite a 50ms timeout", d)
		}
	})

	t.Run("CallerCancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := (&openlineage.Client{URL: "http://127.0.0.1:1"}).Emit(ctx, event)
		if !openlineage.IsRetryable(err) || !errors.Is(err, context.Canceled) {
			t.Fatalf("Emit: %v, want a retryable cancellation: the event was not delivered", err)
		}
	})

	t.Run("BadURL", func(t *testing.T) {
		err := (&openlineage.Client{URL: "http://bad host/"}).Emit(context.Background(), event)
		if err == nil || openlineage.IsRetryable(err) {
			t.Fatalf("Emit: %v, want a permanent error", err)
		}
	})

	t.Run("CustomHTTPClient", func(t *testing.T) {
		var used bool
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		defer srv.Close()
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			used = true
			return http.DefaultTransport.RoundTrip(r)
		})}
		if err := (&openlineage.Client{URL: srv.URL, HTTP: hc}).Emit(context.Background(), event); err != nil || !used {
			t.Fatalf("Emit: %v, client used %v", err, used)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
