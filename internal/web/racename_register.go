package web

import "net/http"

// RaceNameRegister makes a race name that survived a finished game the
// player's for good (while it is pending for them).
func (u *UI) RaceNameRegister(w http.ResponseWriter, r *http.Request) {
	u.signedIn(u.raceNameRegister)(w, r)
}

func (u *UI) raceNameRegister(w http.ResponseWriter, r *http.Request, s *Session) {
	resp, err := u.api.RegisterRaceNameWithResponse(r.Context(), r.PathValue("name"), s.auth())
	if err := check(resp, err); err != nil {
		if e, ok := refusal(err); ok {
			u.showAccount(w, r, s, e.Status, e.Message, nil)
			return
		}
		u.fail(w, r, s, err)
		return
	}
	u.redirect(w, r, "/account", resp.JSON200.Name+" is registered to you: no other player can use it.")
}
