package web

import (
	"net/http"
	"net/url"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// InviteAnswer accepts an invitation under a race name, or declines it:
// POST /invites/{invite_id}/{accept|decline}, from the lobby or the game's
// page. A refused name is shown on the game's page, beside the name typed.
func (u *UI) InviteAnswer(w http.ResponseWriter, r *http.Request) { u.signedIn(u.inviteAnswer)(w, r) }

func (u *UI) inviteAnswer(w http.ResponseWriter, r *http.Request, s *Session) {
	inviteID := r.PathValue("invite_id")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	switch r.PathValue("action") {
	case "accept":
		u.inviteAccept(w, r, s, inviteID)
	case "decline":
		resp, err := u.api.DeclineInviteWithResponse(r.Context(), inviteID, s.auth())
		if err := check(resp, err); err != nil {
			u.refuseInvite(w, r, s, inviteID, err, nil)
			return
		}
		u.redirect(w, r, "/lobby", "Invitation declined.")
	default:
		http.NotFound(w, r)
	}
}

func (u *UI) inviteAccept(w http.ResponseWriter, r *http.Request, s *Session, inviteID string) {
	typed := r.PostForm.Get("race_name")
	keep := func(errs form.Errors) func(*gamePage) {
		return func(p *gamePage) { p.Failed, p.RaceName, p.Errors = "accept", typed, errs }
	}
	name, msg := form.RaceName(typed)
	if msg != "" {
		u.refuseInvite(w, r, s, inviteID, &APIError{Status: http.StatusUnprocessableEntity, Message: msg},
			keep(form.Errors{"race_name": msg}))
		return
	}
	resp, err := u.api.AcceptInviteWithResponse(r.Context(), inviteID, apiclient.AcceptInviteJSONRequestBody{RaceName: name}, s.auth())
	if err := check(resp, err); err != nil {
		var errs form.Errors
		if e, ok := refusal(err); ok {
			errs = raceNameErrors(e)
		}
		u.refuseInvite(w, r, s, inviteID, err, keep(errs))
		return
	}
	u.redirect(w, r, "/games/"+url.PathEscape(resp.JSON200.GameId), "Welcome to the game, "+name+".")
}

// refuseInvite shows a refused answer to an invitation on the invited game's
// page, where the invitation can be answered again. The lobby's form does not
// say which game it is for, so the game is found among the player's open
// invitations; an invitation no longer open (answered, revoked, expired) has
// only the refusal to show.
func (u *UI) refuseInvite(w http.ResponseWriter, r *http.Request, s *Session, inviteID string, err error, keep func(*gamePage)) {
	e, ok := refusal(err)
	if !ok {
		u.fail(w, r, s, err)
		return
	}
	resp, lerr := u.api.ListMyInvitesWithResponse(r.Context(), &apiclient.ListMyInvitesParams{Limit: &maxPage}, s.auth())
	if check(resp, lerr) == nil {
		for _, inv := range resp.JSON200.Items {
			if inv.InviteId == inviteID {
				u.showGame(w, r, s, inv.GameId, e.Status, e.Message, keep)
				return
			}
		}
	}
	u.fail(w, r, s, err)
}
