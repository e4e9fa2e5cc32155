// Package session keeps a browser's sign-in: the backend session token in an
// HttpOnly, SameSite=Lax cookie, read once per request into the context, and
// resolved to its user (for the live event stream) through the backend's
// internal session endpoint.
//
// The gateway stores nothing of its own: the cookie holds the backend's
// token, so revoking the session at the backend (sign-out, a block, another
// device) ends it here on the next request.
package session

import (
	"context"
	"net/http"
	"time"
)

// CookieName is the player session cookie.
const CookieName = "galaxy_session"

// Cookies writes and clears the session cookie.
type Cookies struct {
	// Secure marks the cookie HTTPS-only (GATEWAY_COOKIE_SECURE).
	Secure bool
}

// Set stores token until expires.
func (c Cookies) Set(w http.ResponseWriter, token string, expires time.Time) {
	//nolint:gosec // Secure follows GATEWAY_COOKIE_SECURE: plain HTTP in dev and behind a TLS proxy.
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: c.Secure, SameSite: http.SameSiteLaxMode,
	})
}

// Clear removes the cookie.
func (c Cookies) Clear(w http.ResponseWriter) {
	//nolint:gosec // Secure follows GATEWAY_COOKIE_SECURE, as when it was set.
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: c.Secure, SameSite: http.SameSiteLaxMode,
	})
}

type tokenKey struct{}

// Middleware puts the request's session token (if any) into its context.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ck, err := r.Cookie(CookieName); err == nil && ck.Value != "" {
			r = r.WithContext(context.WithValue(r.Context(), tokenKey{}, ck.Value))
		}
		next.ServeHTTP(w, r)
	})
}

// Token returns the backend session token of the request, "" when signed out.
func Token(ctx context.Context) string {
	t, _ := ctx.Value(tokenKey{}).(string)
	return t
}
