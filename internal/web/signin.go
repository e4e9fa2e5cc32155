package web

import (
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

type signinPage struct {
	Email       string
	ChallengeID string
	Next        string
}

// SigninShow shows the email form (or sends a signed-in player on).
func (u *UI) SigninShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if session.Token(r.Context()) != "" && r.URL.Query().Get("again") == "" {
		// A dead session is bounced back here by the page it reaches.
		http.Redirect(w, r, next, http.StatusSeeOther) //nolint:gosec // next passed safeNext: a path on this site
		return
	}
	u.render(w, r, http.StatusOK, "signin", (*Session)(nil).view("Sign in", "signin", &signinPage{Next: next}))
}

// SigninSubmit is both steps of signing in: an email asks for a code; a
// challenge and its code create the session and set the cookie.
func (u *UI) SigninSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	page := &signinPage{
		Email: strings.TrimSpace(r.PostForm.Get("email")), ChallengeID: r.PostForm.Get("challenge_id"),
		Next: safeNext(r.PostForm.Get("next")),
	}
	if page.ChallengeID != "" {
		u.signinCode(w, r, page, strings.TrimSpace(r.PostForm.Get("code")))
		return
	}
	v := (*Session)(nil).view("Sign in", "signin", page)
	resp, err := u.api.CreateLoginCodeWithResponse(r.Context(), apiclient.CreateLoginCodeJSONRequestBody{Email: page.Email}, forwardClient(r))
	if err := check(resp, err); err != nil {
		v.Error = userMessage(err)
		u.render(w, r, statusOf(err), "signin", v)
		return
	}
	page.ChallengeID = resp.JSON202.ChallengeId
	u.render(w, r, http.StatusOK, "signin", v)
}

func (u *UI) signinCode(w http.ResponseWriter, r *http.Request, page *signinPage, code string) {
	resp, err := u.api.CreateSessionWithResponse(r.Context(),
		apiclient.CreateSessionJSONRequestBody{ChallengeId: page.ChallengeID, Code: code}, forwardClient(r))
	if err := check(resp, err); err != nil {
		v := (*Session)(nil).view("Sign in", "signin", page)
		v.Error = userMessage(err)
		if e, ok := asAPI(err); ok && e.Status == http.StatusUnauthorized {
			v.Error = "That code is wrong or has expired. Try again, or ask for a new code."
		}
		u.render(w, r, statusOf(err), "signin", v)
		return
	}
	u.cookies.Set(w, resp.JSON201.Token, resp.JSON201.ExpiresAt)
	u.redirect(w, r, page.Next, "Welcome, "+resp.JSON201.User.DisplayName+".")
}

// Signout revokes the backend session and clears the cookie.
func (u *UI) Signout(w http.ResponseWriter, r *http.Request) {
	if token := session.Token(r.Context()); token != "" {
		s := &Session{Token: token}
		resp, err := u.api.RevokeCurrentSessionWithResponse(r.Context(), s.auth())
		if err := check(resp, err); err != nil {
			if e, ok := asAPI(err); !ok || e.Status != http.StatusUnauthorized {
				u.logger.Warn("sign-out: revoking the backend session failed", "error", err)
			}
		}
	}
	u.bounce(w, r, "You are signed out.")
}

// safeNext keeps redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/signin") {
		return "/lobby"
	}
	return next
}

// statusOf is the HTTP status to answer a failed form with.
func statusOf(err error) int {
	if e, ok := asAPI(err); ok {
		return e.Status
	}
	return http.StatusBadGateway
}

// userMessage is what a person should read about err.
func userMessage(err error) string {
	if e, ok := asAPI(err); ok {
		return e.Message
	}
	return "The game server did not answer. Try again in a moment."
}
