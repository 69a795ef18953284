// Package sluice holds the domain model of Sluice — accounts, users, access keys, projects and their
// members — and the interfaces of the services and stores behind it. It imports only the standard
// library; the core, the stores and the protocol adapters all depend on it, never the other way round.
package sluice

import (
	"errors"
	"fmt"
)

// Error codes. Each protocol adapter maps them to its vendor's code and HTTP status.
const (
	EINVALID         = "invalid"         // the request is malformed or names something impossible
	ENOTFOUND        = "not_found"       // the object does not exist (or the caller may not know it does)
	ECONFLICT        = "conflict"        // the object exists already, or its state forbids the change
	EFORBIDDEN       = "forbidden"       // the caller is known but may not do this
	EUNAUTHENTICATED = "unauthenticated" // the caller is not known
	ETHROTTLED       = "throttled"       // too many requests
	EINTERNAL        = "internal"        // anything else: a bug or an outage, never the caller's fault
)

// Error is an error a caller may see. Message is safe to show; Err is the internal cause, for logs.
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil and EINTERNAL for anything else.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the caller-safe message of err; internal errors get a generic text.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "An internal error occurred."
}
