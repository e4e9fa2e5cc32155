package errs

import (
	"net/http"

	"google.golang.org/grpc/codes"
)

// mapping is the one table that turns a code into transport statuses.
type mapping struct {
	http int
	grpc codes.Code
}

var table = map[Code]mapping{
	InvalidArgument:    {http.StatusBadRequest, codes.InvalidArgument},
	Unauthenticated:    {http.StatusUnauthorized, codes.Unauthenticated},
	PermissionDenied:   {http.StatusForbidden, codes.PermissionDenied},
	NotFound:           {http.StatusNotFound, codes.NotFound},
	Conflict:           {http.StatusConflict, codes.AlreadyExists},
	FailedPrecondition: {http.StatusConflict, codes.FailedPrecondition},
	PayloadTooLarge:    {http.StatusRequestEntityTooLarge, codes.ResourceExhausted},
	MethodNotAllowed:   {http.StatusMethodNotAllowed, codes.Unimplemented},
	RateLimited:        {http.StatusTooManyRequests, codes.ResourceExhausted},
	Unavailable:        {http.StatusServiceUnavailable, codes.Unavailable},
	Internal:           {http.StatusInternalServerError, codes.Internal},
}

// HTTPStatus returns the HTTP status for c; unknown codes are 500.
func (c Code) HTTPStatus() int {
	if m, ok := table[c]; ok {
		return m.http
	}
	return http.StatusInternalServerError
}

// GRPCCode returns the gRPC status code for c; unknown codes are Internal.
func (c Code) GRPCCode() codes.Code {
	if m, ok := table[c]; ok {
		return m.grpc
	}
	return codes.Internal
}

// Known reports whether c is one of the contract's codes.
func (c Code) Known() bool {
	_, ok := table[c]
	return ok
}
