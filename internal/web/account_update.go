package web

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// AccountUpdate saves the player's display name and time zone.
func (u *UI) AccountUpdate(w http.ResponseWriter, r *http.Request) { u.signedIn(u.accountUpdate)(w, r) }

func (u *UI) accountUpdate(w http.ResponseWriter, r *http.Request, s *Session) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := form.ParseAccount(r.PostForm)
	keep := func(errs form.Errors) func(*accountPage) {
		return func(p *accountPage) { p.Form, p.Errors = f, errs }
	}
	body, errs := f.Validate()
	if errs.Any() {
		u.showAccount(w, r, s, http.StatusUnprocessableEntity, "", keep(errs))
		return
	}
	resp, err := u.api.UpdateMeWithResponse(r.Context(), body, s.auth())
	if err := check(resp, err); err != nil {
		if e, ok := refusal(err); ok {
			u.showAccount(w, r, s, e.Status, e.Message, keep(fieldErrors(e, "display_name", "timezone")))
			return
		}
		u.fail(w, r, s, err)
		return
	}
	u.redirect(w, r, "/account", "Saved. Times are shown in "+resp.JSON200.Timezone+".")
}
