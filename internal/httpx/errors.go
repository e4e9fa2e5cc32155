// Package httpx holds the HTTP edge helpers every domain handler shares: the
// one place where platform errors become the contract's JSON error bodies, a
// strict JSON decoder, and the middleware around every request.
package httpx

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// errorBody is the contract's error shape.
type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	Code    errs.Code      `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

// RetryAfterDetail is the detail key a rate_limited or unavailable error uses
// to tell clients, in whole seconds, when to try again (sent as Retry-After).
const RetryAfterDetail = "retry_after_seconds"

// WriteError renders err in the contract's format with the status of its
// code. Errors without a platform code are internal: their text is logged
// with the request's trace ids and replaced by a generic message.
func WriteError(ctx context.Context, w http.ResponseWriter, logger *slog.Logger, err error) {
	if logger == nil {
		logger = slog.Default()
	}
	e := errs.As(err)
	if e.Code == errs.Internal {
		logger.ErrorContext(ctx, "internal error", "error", err)
		e = &errs.Error{Code: errs.Internal, Message: "internal error"}
	} else if e.Err != nil {
		logger.DebugContext(ctx, "request failed", "code", e.Code, "error", err)
	}
	if secs, ok := e.Details[RetryAfterDetail]; ok {
		switch v := secs.(type) {
		case int:
			w.Header().Set("Retry-After", strconv.Itoa(v))
		case int64:
			w.Header().Set("Retry-After", strconv.FormatInt(v, 10))
		}
	}
	WriteJSON(w, e.Code.HTTPStatus(), errorBody{Error: errorFields{Code: e.Code, Message: e.Message, Details: e.Details}})
}

// WriteJSON writes v as the JSON response body with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
