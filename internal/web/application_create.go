package web

import (
	"net/http"
	"net/url"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// ApplicationCreate applies to a game under a race name. A name another
// player holds (the backend's 409) or one the directory refuses shows
// beside the field, the name kept.
func (u *UI) ApplicationCreate(w http.ResponseWriter, r *http.Request) {
	u.signedIn(u.applicationCreate)(w, r)
}

func (u *UI) applicationCreate(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID := r.PathValue("game_id")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	typed := r.PostForm.Get("race_name")
	keep := func(errs form.Errors) func(*gamePage) {
		return func(p *gamePage) { p.Failed, p.RaceName, p.Errors = "apply", typed, errs }
	}
	name, msg := form.RaceName(typed)
	if msg != "" {
		u.showGame(w, r, s, gameID, http.StatusUnprocessableEntity, "", keep(form.Errors{"race_name": msg}))
		return
	}
	resp, err := u.api.ApplyToGameWithResponse(r.Context(), gameID, apiclient.ApplyToGameJSONRequestBody{RaceName: name}, s.auth())
	if err := check(resp, err); err != nil {
		if e, ok := refusal(err); ok {
			u.refuseOnGame(w, r, s, gameID, err, keep(raceNameErrors(e)))
			return
		}
		u.fail(w, r, s, err)
		return
	}
	u.redirect(w, r, "/games/"+url.PathEscape(gameID),
		"You applied as "+resp.JSON201.RaceName+". The game's owner decides; you will be notified.")
}
