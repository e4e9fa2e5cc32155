package web

import (
	"net/http"
	"time"

	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// gameNewPage is the new-game form, with what the player typed and the
// mistakes found in it.
type gameNewPage struct {
	Form    form.Game
	Errors  form.Errors
	Limits  form.Limits
	Presets []form.Preset
	// ReminderChoices are the reminder lead times offered.
	ReminderChoices []form.ReminderChoice
	// IdlePolicies are the fates offered for a silent race.
	IdlePolicies []form.IdlePolicy
	// MinEnd is the earliest enrollment end the browser should accept, in
	// the datetime-local format of the player's zone.
	MinEnd string
	// Zone names the player's time zone, in which the deadline is read.
	Zone string
}

// GameNew shows the form that creates a game.
func (u *UI) GameNew(w http.ResponseWriter, r *http.Request) { u.signedIn(u.gameNew)(w, r) }

func (u *UI) gameNew(w http.ResponseWriter, r *http.Request, s *Session) {
	u.renderGameNew(w, r, s, http.StatusOK, form.NewGame(time.Now(), s.Loc), nil, "")
}

// renderGameNew shows the form with f's values, errs beside their fields and
// msg above the form.
func (u *UI) renderGameNew(w http.ResponseWriter, r *http.Request, s *Session, status int, f form.Game, errs form.Errors, msg string) {
	page := &gameNewPage{
		Form: f, Errors: errs, Limits: form.GameLimits, Presets: form.SchedulePresets,
		ReminderChoices: form.ReminderChoices, IdlePolicies: form.IdlePolicies,
		MinEnd: time.Now().In(s.Loc).Add(time.Minute).Format(form.DateTimeLocal), Zone: s.Loc.String(),
	}
	v := s.view("New game", "new", page)
	v.Error = msg
	u.render(w, r, status, "game_new", v)
}
