package errs

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"google.golang.org/grpc/codes"
)

func TestTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code Code
		http int
		grpc codes.Code
	}{
		{InvalidArgument, http.StatusBadRequest, codes.InvalidArgument},
		{Unauthenticated, http.StatusUnauthorized, codes.Unauthenticated},
		{PermissionDenied, http.StatusForbidden, codes.PermissionDenied},
		{NotFound, http.StatusNotFound, codes.NotFound},
		{Conflict, http.StatusConflict, codes.AlreadyExists},
		{FailedPrecondition, http.StatusConflict, codes.FailedPrecondition},
		{PayloadTooLarge, http.StatusRequestEntityTooLarge, codes.ResourceExhausted},
		{RateLimited, http.StatusTooManyRequests, codes.ResourceExhausted},
		{Unavailable, http.StatusServiceUnavailable, codes.Unavailable},
		{Internal, http.StatusInternalServerError, codes.Internal},
		{Code("made_up"), http.StatusInternalServerError, codes.Internal},
	}
	for _, c := range cases {
		if got := c.code.HTTPStatus(); got != c.http {
			t.Errorf("%s: HTTP %d, want %d", c.code, got, c.http)
		}
		if got := c.code.GRPCCode(); got != c.grpc {
			t.Errorf("%s: gRPC %v, want %v", c.code, got, c.grpc)
		}
	}
}

func TestCodeOf(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("loading game: %w", E(NotFound, "no game %q", "g1"))
	if CodeOf(wrapped) != NotFound || !Is(wrapped, NotFound) {
		t.Fatalf("wrapped code lost: %v", CodeOf(wrapped))
	}
	if CodeOf(errors.New("boom")) != Internal || CodeOf(nil) != "" {
		t.Fatal("plain errors must be internal and nil must have no code")
	}
	if e := As(errors.New("secret")); e.Code != Internal || e.Message != "internal error" {
		t.Fatalf("As leaked: %+v", e)
	}
	d := E(Conflict, "taken").WithDetail("name", "Vogons")
	if d.Details["name"] != "Vogons" || d.Error() != "conflict: taken" {
		t.Fatalf("details or text wrong: %+v %q", d.Details, d.Error())
	}
}
