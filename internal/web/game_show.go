package web

import "net/http"

// GameShow is a game's page for everyone who may see it: its settings and
// players; the owner's decisions and commands; applying, an invitation or
// leaving for the others; the way to the map, orders and reports for those
// who play.
func (u *UI) GameShow(w http.ResponseWriter, r *http.Request) { u.signedIn(u.gameShow)(w, r) }

func (u *UI) gameShow(w http.ResponseWriter, r *http.Request, s *Session) {
	u.showGame(w, r, s, r.PathValue("game_id"), http.StatusOK, "", nil)
}
