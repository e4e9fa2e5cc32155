// Package console is the operator console, served by the gateway under
// /admin: the recovery paths of the runbook (docs/operations.md) from a
// browser instead of curl and an admin token.
//
// It signs operators in with the backend's admin sessions and keeps the
// admin token in its own cookie (galaxy_admin: HttpOnly, SameSite=Strict,
// Path=/admin), apart from the player session: a player's cookie opens no
// console page, and the admin cookie is never sent to a player page. Like
// the player client it reads and acts only through the backend's public
// API (internal/apiclient).
package console

import (
	"context"
	"embed"
	"log/slog"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

//go:embed templates/*.html
var assets embed.FS

// Options configure the console.
type Options struct {
	// API reaches the backend.
	API *apiclient.ClientWithResponses
	// SecureCookie marks the admin cookie HTTPS-only (GATEWAY_COOKIE_SECURE).
	SecureCookie bool
	// Logger logs what an operator cannot be shown.
	Logger *slog.Logger
}

// Console serves the /admin pages. Build it with New.
type Console struct {
	api    *apiclient.ClientWithResponses
	secure bool
	logger *slog.Logger
	pages  pages
}

// New parses the templates (failing fast on a broken one).
func New(o Options) (*Console, error) {
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Console{api: o.API, secure: o.SecureCookie, logger: o.Logger, pages: p}, nil
}

// Register adds the console's routes to mux.
func (c *Console) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/signin", c.signinShow)
	mux.HandleFunc("POST /admin/signin", c.signinSubmit)
	mux.HandleFunc("POST /admin/signout", c.operator(c.signout))
	mux.HandleFunc("GET /admin", c.operator(c.overview))
	mux.HandleFunc("GET /admin/{$}", c.operator(c.overview))
	mux.HandleFunc("GET /admin/games", c.operator(c.games))
	mux.HandleFunc("GET /admin/games/{game_id}", c.operator(c.game))
	mux.HandleFunc("POST /admin/games/{game_id}/{action}", c.operator(c.gameAct))
	mux.HandleFunc("GET /admin/users", c.operator(c.users))
	mux.HandleFunc("GET /admin/users/{user_id}", c.operator(c.user))
	mux.HandleFunc("POST /admin/users/{user_id}/{action}", c.operator(c.userAct))
	mux.HandleFunc("GET /admin/mail", c.operator(c.mailList))
	mux.HandleFunc("GET /admin/mail/{delivery_id}", c.operator(c.mailShow))
	mux.HandleFunc("GET /admin/mail/{delivery_id}/html", c.operator(c.mailHTML))
	mux.HandleFunc("POST /admin/mail/{delivery_id}/resend", c.operator(c.mailResend))
	mux.HandleFunc("GET /admin/dead-letters", c.operator(c.deadLetters))
	mux.HandleFunc("POST /admin/dead-letters/{id}/replay", c.operator(c.deadLetterReplay))
	mux.HandleFunc("GET /admin/audit", c.operator(c.audit))
}

// auth is the request editor that presents an operator's token.
func auth(token string) apiclient.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}
