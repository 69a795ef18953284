package sluice

import "context"

// Caller is the authenticated principal of a request.
type Caller struct {
	User        *User
	AccessKeyID string
}

type contextKey int

const (
	callerKey contextKey = iota + 1
	requestIDKey
)

// NewContextWithCaller returns a context that carries the authenticated caller.
func NewContextWithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey, c)
}

// CallerFromContext returns the authenticated caller, or nil when the request is anonymous.
func CallerFromContext(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey).(*Caller)
	return c
}

// NewContextWithRequestID returns a context that carries the request id returned to the caller.
func NewContextWithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestIDFromContext returns the request id, or "".
func RequestIDFromContext(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
