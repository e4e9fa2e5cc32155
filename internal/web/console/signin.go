package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web"
)

type signinPage struct {
	Username string
	Notice   string
}

func (c *Console) signinShow(w http.ResponseWriter, r *http.Request) {
	p := &signinPage{}
	if r.URL.Query().Get("ended") != "" {
		p.Notice = "Your operator session has ended: sign in again."
	}
	c.render(w, http.StatusOK, "signin", &View{Title: "Operator sign-in", Data: p})
}

// signinSubmit signs the operator in with the backend's admin sessions
// (rate-limited there) and keeps the token in the admin cookie.
func (c *Console) signinSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	p := &signinPage{Username: strings.TrimSpace(r.PostForm.Get("username"))}
	resp, err := c.api.CreateAdminSessionWithResponse(r.Context(), apiclient.CreateAdminSessionJSONRequestBody{
		Username: p.Username, Password: r.PostForm.Get("password")})
	if err := web.Check(resp, err); err != nil {
		status, msg := http.StatusBadGateway, "The backend did not answer. Try again in a moment."
		var e *web.APIError
		if errors.As(err, &e) {
			status, msg = e.Status, e.Message
			if status == http.StatusUnauthorized {
				msg = "Wrong username or password."
			}
		}
		c.render(w, status, "signin", &View{Title: "Operator sign-in", Error: msg, Data: p})
		return
	}
	c.setCookie(w, resp.JSON201.Token, resp.JSON201.ExpiresAt)
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}

// signout ends the admin session at the backend, then forgets the cookie.
func (c *Console) signout(w http.ResponseWriter, r *http.Request, token string) {
	resp, err := c.api.DeleteAdminSessionWithResponse(r.Context(), auth(token))
	if err := web.Check(resp, err); err != nil {
		var e *web.APIError
		if !errors.As(err, &e) || e.Status != http.StatusUnauthorized {
			c.fail(w, r, err)
			return
		}
	}
	c.clearCookie(w)
	http.Redirect(w, r, "/admin/signin", http.StatusSeeOther)
}
