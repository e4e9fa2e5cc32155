package httpx

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Guard authorises requests under a path prefix before they reach a handler.
type Guard struct {
	Prefix string
	// Check returns nil to let the request through, or the error to answer.
	Check func(r *http.Request) error
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
func StaticBearer(want string) func(r *http.Request) error {
	return func(r *http.Request) error {
		got, ok := BearerToken(r)
		if !ok {
			return errs.E(errs.Unauthenticated, "missing bearer token")
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return errs.E(errs.Unauthenticated, "invalid token")
		}
		return nil
	}
}

// Guarded applies the first guard whose prefix matches the request path.
func Guarded(guards []Guard, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, g := range guards {
			if strings.HasPrefix(r.URL.Path, g.Prefix) {
				if err := g.Check(r); err != nil {
					WriteError(r.Context(), w, nil, err)
					return
				}
				break
			}
		}
		next.ServeHTTP(w, r)
	})
}
