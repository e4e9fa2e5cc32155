package engine

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// DefaultMaxBodyBytes bounds request bodies. Init requests carry a base64
// snapshot, hence more room than the backend's public 1 MiB.
const DefaultMaxBodyBytes = 8 << 20

// decodeJSON reads exactly one JSON value into v, refusing unknown fields,
// trailing data and bodies over limit.
func decodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body := http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, limit)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return decodeError(err, limit)
		}
		return errs.E(errs.InvalidArgument, "malformed JSON body: more than one value")
	}
	return nil
}

// decodeError classifies a decoding failure; json's own messages describe the
// caller's input and are safe to return.
func decodeError(err error, limit int64) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errs.E(errs.PayloadTooLarge, "request body exceeds %d bytes", limit).WithDetail("limit_bytes", limit)
	}
	if errors.Is(err, io.EOF) {
		return errs.E(errs.InvalidArgument, "malformed JSON body: empty")
	}
	return errs.Wrap(err, errs.InvalidArgument, "malformed JSON body: %v", err)
}

// writeBody answers 200 with an already encoded JSON body.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client is gone if this fails; nothing to do
}

// writeJSON encodes v and answers with it.
func writeJSON(w http.ResponseWriter, log *slog.Logger, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		log.Error("encode response", "err", err)
		writeBody(w, http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"internal error"}}`))
		return
	}
	writeBody(w, status, b)
}

// writeError answers with the contract's error envelope. Internal errors are
// logged with their cause and answered with a generic message.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e := errs.As(err)
	switch {
	case e.Code == errs.Internal:
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case e.Err != nil:
		log.Warn("request refused", "method", r.Method, "path", r.URL.Path, "code", e.Code, "err", e.Err)
	}
	if e.Code == errs.Unauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="galaxy-engine"`)
	}
	writeJSON(w, log, e.Code.HTTPStatus(), ErrorBody{Error: ErrorDetail{
		Code: string(e.Code), Message: e.Message, Details: e.Details,
	}})
}
