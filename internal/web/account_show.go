package web

import "net/http"

// AccountShow is the player's account: name and time zone, sessions, race
// names.
func (u *UI) AccountShow(w http.ResponseWriter, r *http.Request) { u.signedIn(u.accountShow)(w, r) }

func (u *UI) accountShow(w http.ResponseWriter, r *http.Request, s *Session) {
	u.showAccount(w, r, s, http.StatusOK, "", nil)
}
