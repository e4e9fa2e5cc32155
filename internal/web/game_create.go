package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// GameCreate creates the game the form describes and opens its page; a
// mistake shows the form again with everything the player typed.
func (u *UI) GameCreate(w http.ResponseWriter, r *http.Request) { u.signedIn(u.gameCreate)(w, r) }

func (u *UI) gameCreate(w http.ResponseWriter, r *http.Request, s *Session) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := form.ParseGame(r.PostForm)
	body, errs := f.Validate(time.Now(), s.Loc)
	if errs.Any() {
		u.renderGameNew(w, r, s, http.StatusUnprocessableEntity, f, errs, marked(errs))
		return
	}
	resp, err := u.api.CreateGameWithResponse(r.Context(), body, s.auth())
	if err := check(resp, err); err != nil {
		if e, ok := refusal(err); ok {
			errs := fieldErrors(e, "name", "description", "visibility", "min_players", "max_players",
				"enrollment_ends_at", "turn_schedule", "max_turns", "idle_turns", "planets_per_race",
				"idle_policy", "reminder_before", "max_absence_turns")
			u.renderGameNew(w, r, s, e.Status, f, errs, topMessage(e, errs))
			return
		}
		u.fail(w, r, s, err)
		return
	}
	g := resp.JSON201
	next := "Players can apply until " + s.at(g.EnrollmentEndsAt) + "."
	if g.Visibility == apiclient.GameVisibilityPrivate {
		next = "Invite players by email below."
	}
	u.redirect(w, r, "/games/"+url.PathEscape(g.GameId), "Game “"+g.Name+"” created. "+next)
}
