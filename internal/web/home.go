package web

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

// Home is the lobby for a signed-in browser, sign-in otherwise.
func (u *UI) Home(w http.ResponseWriter, r *http.Request) {
	if session.Token(r.Context()) == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/lobby", http.StatusSeeOther)
}

// Lobby is the lobby page for a signed-in player.
func (u *UI) Lobby(w http.ResponseWriter, r *http.Request) { u.signedIn(u.lobbyShow)(w, r) }
