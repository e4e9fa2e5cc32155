package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// MaxBodyBytes is the contract's limit on request bodies (1 MiB).
const MaxBodyBytes = 1 << 20

// DecodeJSON reads exactly one JSON value from r's body into dst. Unknown
// fields, malformed JSON, trailing data and an empty body are
// invalid_argument; a body over MaxBodyBytes is payload_too_large.
func DecodeJSON(r *http.Request, dst any) error {
	body := http.MaxBytesReader(nil, r.Body, MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return decodeError(err)
		}
		return errs.E(errs.InvalidArgument, "the body must hold a single JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var (
		maxErr    *http.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &maxErr):
		return errs.E(errs.PayloadTooLarge, "the request body exceeds %d bytes", MaxBodyBytes).
			WithDetail("limit_bytes", MaxBodyBytes)
	case errors.Is(err, io.EOF):
		return errs.E(errs.InvalidArgument, "the request body is empty; a JSON object is required")
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return errs.E(errs.InvalidArgument, "malformed JSON: %v", err)
	case errors.As(err, &typeErr):
		return errs.E(errs.InvalidArgument, "field %q must be of type %s", typeErr.Field, typeErr.Type).
			WithDetail("field", typeErr.Field)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.E(errs.InvalidArgument, "unknown field %q", field).WithDetail("field", field)
	}
	return errs.E(errs.InvalidArgument, "invalid JSON body: %v", fmt.Sprint(err))
}
