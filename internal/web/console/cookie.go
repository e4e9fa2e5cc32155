package console

import (
	"net/http"
	"time"
)

// CookieName is the operator's cookie; it holds the backend's admin token.
const CookieName = "galaxy_admin"

// cookiePath keeps the admin token away from every player page.
const cookiePath = "/admin"

func (c *Console) setCookie(w http.ResponseWriter, token string, expires time.Time) {
	//nolint:gosec // Secure follows GATEWAY_COOKIE_SECURE: plain HTTP in dev and behind a TLS proxy.
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: token, Path: cookiePath, Expires: expires,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteStrictMode})
}

func (c *Console) clearCookie(w http.ResponseWriter) {
	//nolint:gosec // Secure follows GATEWAY_COOKIE_SECURE, as when it was set.
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: cookiePath, MaxAge: -1,
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteStrictMode})
}

// token is the request's admin token, "" when the operator is signed out.
func token(r *http.Request) string {
	if ck, err := r.Cookie(CookieName); err == nil {
		return ck.Value
	}
	return ""
}

// operator runs h for a signed-in operator, and sends anyone else to the
// sign-in page.
func (c *Console) operator(h func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := token(r)
		if t == "" {
			http.Redirect(w, r, "/admin/signin", http.StatusSeeOther)
			return
		}
		h(w, r, t)
	}
}
