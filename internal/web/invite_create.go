package web

import (
	"net/http"
	"net/url"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// InviteCreate invites a player, named by their account's email address, to
// the owner's game.
func (u *UI) InviteCreate(w http.ResponseWriter, r *http.Request) { u.signedIn(u.inviteCreate)(w, r) }

func (u *UI) inviteCreate(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID := r.PathValue("game_id")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	typed := r.PostForm.Get("email")
	keep := func(errs form.Errors) func(*gamePage) {
		return func(p *gamePage) { p.Failed, p.InviteEmail, p.Errors = "invite", typed, errs }
	}
	email, msg := form.InviteEmail(typed)
	if msg != "" {
		u.showGame(w, r, s, gameID, http.StatusUnprocessableEntity, "", keep(form.Errors{"email": msg}))
		return
	}
	resp, err := u.api.CreateInviteWithResponse(r.Context(), gameID, apiclient.CreateInviteJSONRequestBody{Email: &email}, s.auth())
	if err := check(resp, err); err != nil {
		e, ok := refusal(err)
		if !ok {
			u.fail(w, r, s, err)
			return
		}
		errs := fieldErrors(e, "email")
		if e.Status == http.StatusConflict {
			// Already playing, or already invited: about the invitee.
			errs.Add("email", e.Message)
		}
		if errs.Any() {
			status := e.Status
			if status == http.StatusNotFound {
				// "Nobody has signed in with that address": the page
				// exists, the address is the mistake.
				status = http.StatusUnprocessableEntity
			}
			u.showGame(w, r, s, gameID, status, e.Message, keep(errs))
			return
		}
		u.refuseOnGame(w, r, s, gameID, err, keep(nil))
		return
	}
	u.redirect(w, r, "/games/"+url.PathEscape(gameID), "Invitation sent to "+email+". It expires "+
		s.at(resp.JSON201.ExpiresAt)+", when enrollment ends.")
}
