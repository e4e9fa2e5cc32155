package httpx

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// LimitBody caps every request body at MaxBodyBytes, for handlers that read
// bodies without DecodeJSON.
func LimitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			WriteError(r.Context(), w, nil, errs.E(errs.PayloadTooLarge, "the request body exceeds %d bytes", MaxBodyBytes).
				WithDetail("limit_bytes", MaxBodyBytes))
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			// A request without a body (most GETs) has nothing to limit.
			r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}
