// Package web is the player web client: one file per page action
// (lobby_show.go, orders_check.go, …), html/template pages embedded beside
// them, and a little hand-written JavaScript in static/ that only improves
// pages which already work without it.
//
// Every page is rendered from the backend's public HTTP API, through the
// generated client of internal/apiclient, with the browser's own session
// token: the web client can do nothing a third-party client could not.
package web

import (
	"embed"
	"log/slog"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

//go:embed templates/*.html static
var assets embed.FS

// Options configure the web client.
type Options struct {
	// API reaches the backend.
	API *apiclient.ClientWithResponses
	// Cookies write the session cookie.
	Cookies session.Cookies
	// Resolver is told when a session ends, so it stops vouching for it.
	Resolver *session.Resolver
	// InternalToken reads the stub mailbox (DevMail only).
	InternalToken string
	// DevMail serves /dev/mail (galaxy dev only).
	DevMail bool
	// Logger logs what a player cannot be shown.
	Logger *slog.Logger
}

// UI serves the pages. Build it with New.
type UI struct {
	api      *apiclient.ClientWithResponses
	cookies  session.Cookies
	resolver *session.Resolver
	internal string
	devMail  bool
	logger   *slog.Logger
	pages    pages
}

// New parses every template (failing fast on a broken one) and returns the
// web client.
func New(o Options) (*UI, error) {
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &UI{
		api: o.API, cookies: o.Cookies, resolver: o.Resolver, internal: o.InternalToken,
		devMail: o.DevMail, logger: o.Logger, pages: p,
	}, nil
}

// DevMail reports whether /dev/mail is served.
func (u *UI) DevMail() bool { return u.devMail }

// Static serves the embedded CSS and JavaScript under /static/.
func (u *UI) Static() http.Handler {
	return http.StripPrefix("/static/", staticHandler())
}
