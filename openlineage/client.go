package openlineage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds one delivery when Client.Timeout is zero. Receivers answer a single
// event in milliseconds; a receiver that takes longer is better retried later than waited on by
// a job-runner slot.
const DefaultTimeout = 10 * time.Second

// Client delivers events to an OpenLineage HTTP receiver. Its zero value is not usable: URL is
// required. A Client is safe for concurrent use.
type Client struct {
	// URL is the receiver's full endpoint, path included: Marquez and DataHub's OpenLineage
	// endpoint differ in path (http://marquez:5000/api/v1/lineage,
	// https://datahub/openapi/openlineage/api/v1/lineage), so nothing is appended to it.
	URL string
	// Token, when set, is sent as "Authorization: Bearer <Token>", as OpenLineage's own HTTP
	// transport sends its api key.
	Token string
	// Header is added to every request (e.g. a receiver's own authentication header).
	Header http.Header
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
	// Timeout bounds one delivery, response included; zero means DefaultTimeout.
	Timeout time.Duration
}

// DeliveryError is why an event was not delivered. The job runner decides from Retryable
// whether to try the same event again later or to give up on it.
type DeliveryError struct {
	// StatusCode is the receiver's HTTP status, 0 when no response came back.
	StatusCode int
	// Retryable is true for failures that may pass on their own: no response, 5xx, 408, 429.
	// A 4xx otherwise means the receiver refuses this event as it is; sending it again would
	// be refused again.
	Retryable bool
	// RetryAfter is the receiver's Retry-After (seconds form), 0 when absent.
	RetryAfter time.Duration
	// Body is the start of the receiver's answer, for the job's log.
	Body string
	// Err is the transport error when there was no response.
	Err error
}

func (e *DeliveryError) Error() string {
	kind := "permanent"
	if e.Retryable {
		kind = "retryable"
	}
	if e.StatusCode == 0 {
		return fmt.Sprintf("openlineage: deliver event (%s): %v", kind, e.Err)
	}
	msg := fmt.Sprintf("openlineage: deliver event (%s): receiver answered %d", kind, e.StatusCode)
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// IsRetryable reports whether err is a DeliveryError worth retrying. Any other error (an event
// that does not encode, a malformed URL) is permanent.
func IsRetryable(err error) bool {
	var d *DeliveryError
	return errors.As(err, &d) && d.Retryable
}

// maxErrorBody bounds how much of a failed response is kept for the log.
const maxErrorBody = 512

// Emit POSTs one event as JSON. It returns nil when the receiver answered 2xx, a *DeliveryError
// when it did not, and a plain error when the request could not be built. Emit does not retry:
// the caller's durable job does, so that a retry survives a restart of the server.
func (c *Client) Emit(ctx context.Context, e Event) error {
	body, err := Marshal(e)
	if err != nil {
		return fmt.Errorf("openlineage: encode event: %w", err)
	}

	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("openlineage: receiver url: %w", err)
	}
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}

	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		// No answer (refused, reset, DNS, our timeout, the caller cancelling): the event may
		// or may not have arrived. Resending is harmless: the same event describes the same
		// job version again.
		return &DeliveryError{Retryable: true, Err: err}
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	// Drain a little more so the connection can be reused, without reading an unbounded body.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	return &DeliveryError{
		StatusCode: resp.StatusCode,
		Retryable:  retryableStatus(resp.StatusCode),
		RetryAfter: retryAfter(resp.Header.Get("Retry-After")),
		Body:       strings.TrimSpace(string(head)),
	}
}

// retryableStatus: 408 and 429 are 4xx that say "not now" rather than "not this", and a 5xx is
// the receiver's own trouble. Anything else (400 bad event, 401/403 bad credentials, 404 wrong
// URL, an unfollowed 3xx) needs a person, not another attempt.
func retryableStatus(code int) bool {
	return code >= 500 || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests
}

// retryAfter reads the delay-seconds form of Retry-After; the HTTP-date form is rare from
// receivers and a job runner's own backoff covers it.
func retryAfter(h string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(h))
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}
