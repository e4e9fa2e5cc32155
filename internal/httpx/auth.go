package httpx

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Guard authorises requests under a path prefix before they reach a handler.
type Guard struct {
	Prefix string
	// Check returns the context to serve the request with (carrying the
	// authenticated caller), or the error to answer. A nil Check lets every
	// request through (a public route under a guarded prefix).
	Check func(r *http.Request) (context.Context, error)
	// Wrap, when set, wraps the handler of requests that passed Check (the
	// admin audit, for instance).
	Wrap func(http.Handler) http.Handler
}

// BearerToken returns the token of an `Authorization: Bearer` header.
func BearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// StaticBearer checks the request's bearer token against want in constant
// time; anything else is unauthenticated.
func StaticBearer(want string) func(r *http.Request) (context.Context, error) {
	return func(r *http.Request) (context.Context, error) {
		got, ok := BearerToken(r)
		if !ok {
			return nil, ErrMissingToken
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return nil, errs.E(errs.Unauthenticated, "invalid token")
		}
		return r.Context(), nil
	}
}

// ErrMissingToken answers a request without an Authorization header.
var ErrMissingToken = errs.E(errs.Unauthenticated, "missing bearer token")

// Guarded applies the first guard whose prefix matches the request path.
func Guarded(guards []Guard, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, g := range guards {
			if !strings.HasPrefix(r.URL.Path, g.Prefix) {
				continue
			}
			if g.Check == nil {
				break
			}
			ctx, err := g.Check(r)
			if err != nil {
				WriteError(r.Context(), w, nil, err)
				return
			}
			r = r.WithContext(ctx)
			if g.Wrap != nil {
				g.Wrap(next).ServeHTTP(w, r)
				return
			}
			break
		}
		next.ServeHTTP(w, r)
	})
}
