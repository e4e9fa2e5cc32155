package gateway

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

// routes lists every path the gateway serves. Page paths are fixed by the
// contract (api-contract.md, "Gateway and web client"); forms post back to
// their page's path or a sub-path of it.
func (g *Gateway) routes() http.Handler {
	ui := g.ui
	mux := http.NewServeMux()

	mux.HandleFunc("GET /healthz", healthz)
	mux.HandleFunc("GET /readyz", g.readyz)
	mux.Handle("GET /static/", ui.Static())
	mux.HandleFunc("GET /static/svg.css", ui.SVGStyles) // the map's and chart's styles, from package svg
	mux.Handle("GET /events", g.events)

	// Signing in and out.
	mux.HandleFunc("GET /{$}", ui.Home)
	mux.HandleFunc("GET /signin", ui.SigninShow)
	mux.HandleFunc("POST /signin", ui.SigninSubmit)
	mux.HandleFunc("POST /signout", ui.Signout)
	if ui.DevMail() {
		mux.HandleFunc("GET /dev/mail", ui.DevMailShow)
	}

	// The lobby and a game's enrollment.
	mux.HandleFunc("GET /lobby", ui.Lobby)
	mux.HandleFunc("GET /games/new", ui.GameNew)
	mux.HandleFunc("POST /games/new", ui.GameCreate)
	mux.HandleFunc("GET /games/{game_id}", ui.GameShow)
	mux.HandleFunc("POST /games/{game_id}/applications", ui.ApplicationCreate)
	mux.HandleFunc("POST /games/{game_id}/applications/{application_id}/{action}", ui.ApplicationDecide)
	mux.HandleFunc("POST /games/{game_id}/invites", ui.InviteCreate)
	mux.HandleFunc("POST /games/{game_id}/invites/{invite_id}/revoke", ui.InviteRevoke)
	mux.HandleFunc("POST /games/{game_id}/absence", ui.AbsenceSet)
	mux.HandleFunc("POST /games/{game_id}/orders-password", ui.OrdersPasswordRotate)
	mux.HandleFunc("POST /games/{game_id}/substitutes/{race_name}/claim", ui.SubstituteClaim)
	mux.HandleFunc("POST /games/{game_id}/substitutes/claims/{claim_id}/{action}", ui.SubstituteDecide)
	mux.HandleFunc("POST /games/{game_id}/{action}", ui.GameCommand)
	mux.HandleFunc("POST /invites/{invite_id}/{action}", ui.InviteAnswer)
	mux.HandleFunc("GET /race-names/check", ui.RaceNameCheck)

	// Playing a running game.
	mux.HandleFunc("GET /games/{game_id}/map", ui.MapShow)
	mux.HandleFunc("GET /games/{game_id}/orders", ui.OrdersShow)
	mux.HandleFunc("POST /games/{game_id}/orders", ui.OrdersSubmit)
	mux.HandleFunc("POST /games/{game_id}/orders/check", ui.OrdersCheck)
	mux.HandleFunc("GET /games/{game_id}/reports/{turn}", ui.ReportShow)
	mux.HandleFunc("GET /games/{game_id}/history", ui.HistoryShow)

	// The player's own things.
	mux.HandleFunc("GET /notifications", ui.NotificationsShow)
	mux.HandleFunc("POST /notifications/read-all", ui.NotificationsReadAll)
	mux.HandleFunc("POST /notifications/{notification_id}/read", ui.NotificationRead)
	mux.HandleFunc("GET /account", ui.AccountShow)
	mux.HandleFunc("POST /account", ui.AccountUpdate)
	mux.HandleFunc("POST /account/sessions/{session_id}/revoke", ui.SessionRevoke)
	mux.HandleFunc("POST /account/race-names/{name}/register", ui.RaceNameRegister)

	// The operator console, with its own cookie.
	g.console.Register(mux)

	var h http.Handler = mux
	h = session.Middleware(h)
	h = crossOrigin(h)
	return securityHeaders(h)
}

// identify resolves the browser's session for the event stream.
func (g *Gateway) identify(r *http.Request) (userID, sessionID string, ok bool) {
	token := session.Token(r.Context())
	if token == "" {
		return "", "", false
	}
	id, ok, err := g.resolver.Resolve(r.Context(), token)
	if err != nil {
		g.logger.Warn("event stream: session not resolved", "error", err)
		return "", "", false
	}
	return id.UserID, id.SessionID, ok
}
