// Package errs defines the platform's single error type and its small code set.
//
// Domain packages return *Error values (or wrap them) for every failure a caller
// can act on; anything else is an internal error. The edges (HTTP, gRPC) translate
// codes to transport statuses through the one table in this package, so a code
// means the same thing everywhere. Messages of internal errors never leave the
// process: the edges replace them with a generic text and log the original.
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers. The set is closed: every code below
// appears in the external contract's error format.
type Code string

// The codes of the external contract.
const (
	InvalidArgument    Code = "invalid_argument"
	Unauthenticated    Code = "unauthenticated"
	PermissionDenied   Code = "permission_denied"
	NotFound           Code = "not_found"
	Conflict           Code = "conflict"
	FailedPrecondition Code = "failed_precondition"
	PayloadTooLarge    Code = "payload_too_large"
	MethodNotAllowed   Code = "method_not_allowed"
	RateLimited        Code = "rate_limited"
	Unavailable        Code = "unavailable"
	Internal           Code = "internal"
)

// Error is an error a caller can act on: a code, a human message safe to show to
// clients, and optional structured details (field names, limits, the current
// status of a resource, ...).
type Error struct {
	Code    Code
	Message string
	Details map[string]any
	// Err is an optional underlying cause; it is logged, never sent to clients.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error with a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithDetail returns a copy of e with one more detail set.
func (e *Error) WithDetail(key string, value any) *Error {
	c := *e
	c.Details = make(map[string]any, len(e.Details)+1)
	for k, v := range e.Details {
		c.Details[k] = v
	}
	c.Details[key] = value
	return &c
}

// Wrap builds an *Error that keeps cause for logs.
func Wrap(cause error, code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal when
// there is none. A nil error has no code and yields "".
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the first *Error in err's chain. Errors that are not *Error become
// an Internal error whose message is generic, so that callers at the edge can
// always render something safe.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e
	}
	return &Error{Code: Internal, Message: "internal error", Err: err}
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return CodeOf(err) == code }
