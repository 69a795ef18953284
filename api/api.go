// Package api is the HTTP plumbing the protocol adapters share: request ids, the per-request record that
// logging and metrics read, body limits, and the middleware that ties them together.
package api

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluice-dev/sluice"
)

// Info is what an adapter tells the middleware about the request it served, for logs and metrics.
type Info struct {
	API         string // e.g. "rpc:ListProjects", "roa:GetProject"; "" for plain HTTP endpoints
	Code        string // the vendor error code returned, "" on success
	AccessKeyID string // the authenticated key, if any
	Err         error  // the internal cause of a 5xx answer, logged once here
	// Throttled is set on a request refused by a rate limit: Middleware sends its wait as Retry-After with
	// the 429, and a face may add its vendor's own headers.
	Throttled *Throttled
}

type infoKey struct{}

// InfoFromContext returns the request's Info; it is never nil inside Middleware.
func InfoFromContext(ctx context.Context) *Info {
	if i, ok := ctx.Value(infoKey{}).(*Info); ok {
		return i
	}
	return &Info{}
}

// NewRequestID returns a request id in the vendors' shape: an upper-case UUID.
func NewRequestID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	// Written out by hand: fmt's %X costs more than the rest of a healthz request's middleware.
	const hexdigits = "0123456789ABCDEF"
	var s [36]byte
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = hexdigits[c>>4], hexdigits[c&0x0f]
		j += 2
	}
	return string(s[:])
}

// Metrics are the Prometheus series of the HTTP layer.
type Metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec

	// The series already used, by label values: a vector's lookup hashes its labels on every call, and
	// the handful of APIs and codes a server answers are known after a few requests.
	counters  sync.Map // api + "\x00" + code -> prometheus.Counter
	observers sync.Map // api -> prometheus.Observer
}

func (m *Metrics) record(api, code string, elapsed time.Duration) {
	key := api + "\x00" + code
	c, ok := m.counters.Load(key)
	if !ok {
		c, _ = m.counters.LoadOrStore(key, m.requests.WithLabelValues(api, code))
	}
	c.(prometheus.Counter).Inc()
	o, ok := m.observers.Load(api)
	if !ok {
		o, _ = m.observers.LoadOrStore(api, m.latency.WithLabelValues(api))
	}
	o.(prometheus.Observer).Observe(elapsed.Seconds())
}

// NewMetrics registers the HTTP series with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_http_requests_total",
			Help: "HTTP requests served, by API and by the vendor error code returned (\"OK\" on success).",
		}, []string{"api", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sluice_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by API.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"api"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

// statusWriter remembers the status an http.Handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	info   *Info
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		// Every face's throttling answer gets Retry-After here, whatever its envelope.
		if code == http.StatusTooManyRequests && w.info != nil && w.info.Throttled != nil {
			w.Header().Set("Retry-After", strconv.FormatInt(retryAfterSeconds(w.info.Throttled.RetryAfter), 10))
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Middleware gives each request an id (in the context and in every log line), turns a panic into a 500,
// and records one log line and the metrics when the request ends. Health and metrics endpoints are counted
// but not logged. Each face sends the id in its own vendor's header (StampRequestID).
func Middleware(next http.Handler, log *slog.Logger, m *Metrics) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := NewRequestID()
		info := &Info{}
		ctx := context.WithValue(sluice.NewContextWithRequestID(r.Context(), id), infoKey{}, info)
		sw := &statusWriter{ResponseWriter: w, info: info}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				info.Err = fmt.Errorf("panic: %v", p)
				if sw.status == 0 {
					http.Error(sw, "internal error, request id "+id, http.StatusInternalServerError)
				}
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			api, code := info.API, info.Code
			if api == "" {
				api = "http"
			}
			if code == "" {
				code = "OK"
				if status >= 400 {
					code = strconv.Itoa(status)
				}
			}
			elapsed := time.Since(start)
			if m != nil {
				m.record(api, code, elapsed)
			}
			if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
				return
			}
			level := slog.LevelInfo
			if info.Err != nil {
				level = slog.LevelError
			} else if status >= 400 {
				level = slog.LevelWarn
			}
			if !log.Enabled(ctx, level) { // building the line costs more than the request's JSON
				return
			}
			attrs := []slog.Attr{
				slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("api", api),
				slog.Int("status", status), slog.String("code", code),
				slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
				slog.String("remote_addr", r.RemoteAddr),
			}
			if info.AccessKeyID != "" {
				attrs = append(attrs, slog.String("access_key_id", info.AccessKeyID))
			}
			if info.Err != nil {
				attrs = append(attrs, slog.String("error", info.Err.Error()))
			}
			log.LogAttrs(ctx, level, "request", attrs...)
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

// StampRequestID sends the request's id in header, the face's own (x-acs-request-id for Alibaba,
// X-Request-Id for Huawei), so each vendor's SDK finds it where it looks and no face sends another
// vendor's. Without Middleware in front (a face tested on its own) it first gives r an id.
func StampRequestID(w http.ResponseWriter, r *http.Request, header string) *http.Request {
	id := sluice.RequestIDFromContext(r.Context())
	if id == "" {
		id = NewRequestID()
		r = r.WithContext(sluice.NewContextWithRequestID(r.Context(), id))
	}
	w.Header().Set(header, id)
	return r
}

// PathSegments splits r's path into its segments, each unescaped on its own so that an escaped "/" (%2F)
// stays inside its segment; ok is false for a malformed escape. A trailing "/" gives an empty last segment.
func PathSegments(r *http.Request) (segments []string, ok bool) {
	segments = strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	for i, s := range segments {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, false
		}
		segments[i] = u
	}
	return segments, true
}

// ErrBodyTooLarge reports a body over the adapter's limit.
var ErrBodyTooLarge = errors.New("request body too large")

// ReadBody reads the whole body, refusing more than max bytes.
func ReadBody(r *http.Request, max int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if r.ContentLength > max {
		return nil, ErrBodyTooLarge
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, ErrBodyTooLarge
	}
	return b, nil
}

// LogHandler wraps a slog.Handler so that every record logged with a request's context carries its
// request_id.
type LogHandler struct{ slog.Handler }

// Handle adds request_id.
func (h LogHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := sluice.RequestIDFromContext(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the wrapper.
func (h LogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return LogHandler{h.Handler.WithAttrs(attrs)}
}

// WithGroup keeps the wrapper.
func (h LogHandler) WithGroup(name string) slog.Handler { return LogHandler{h.Handler.WithGroup(name)} }
