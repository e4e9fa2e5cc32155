package web

import (
	"net/http"
	"net/url"
)

// InviteRevoke withdraws an open invitation (owner), from the game page's
// list of sent invitations.
func (u *UI) InviteRevoke(w http.ResponseWriter, r *http.Request) { u.signedIn(u.inviteRevoke)(w, r) }

func (u *UI) inviteRevoke(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID := r.PathValue("game_id")
	resp, err := u.api.RevokeInviteWithResponse(r.Context(), gameID, r.PathValue("invite_id"), s.auth())
	if err := check(resp, err); err != nil {
		u.refuseOnGame(w, r, s, gameID, err, nil)
		return
	}
	u.redirect(w, r, "/games/"+url.PathEscape(gameID), "Invitation revoked.")
}
