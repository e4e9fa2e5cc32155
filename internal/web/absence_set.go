package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// AbsenceSet excuses the player's race for the next turns (POST
// /games/{game_id}/absence, field turns): it is not idle and gets no
// reminders while the player is away.
func (u *UI) AbsenceSet(w http.ResponseWriter, r *http.Request) { u.signedIn(u.absenceSet)(w, r) }

func (u *UI) absenceSet(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID := r.PathValue("game_id")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	turns, err := strconv.Atoi(r.PostForm.Get("turns"))
	if err != nil {
		u.showGame(w, r, s, gameID, http.StatusUnprocessableEntity, "", func(p *gamePage) {
			p.Failed, p.Errors = "absence", map[string]string{"turns": "Choose how many turns you will be away."}
		})
		return
	}
	resp, err := u.api.SetAbsenceWithResponse(r.Context(), gameID, apiclient.SetAbsenceJSONRequestBody{Turns: turns}, s.auth())
	if err := check(resp, err); err != nil {
		u.refuseOnGame(w, r, s, gameID, err, func(p *gamePage) { p.Failed = "absence" })
		return
	}
	u.redirect(w, r, "/games/"+url.PathEscape(gameID),
		fmt.Sprintf("The %s are excused through turn %d: they will not go idle.", resp.JSON200.RaceName, resp.JSON200.AbsentUntilTurn))
}
