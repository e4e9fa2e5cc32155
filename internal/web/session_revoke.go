package web

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// SessionRevoke signs one of the player's sessions out. Signing out this
// browser's own session ends it here too, back to sign-in.
func (u *UI) SessionRevoke(w http.ResponseWriter, r *http.Request) { u.signedIn(u.sessionRevoke)(w, r) }

func (u *UI) sessionRevoke(w http.ResponseWriter, r *http.Request, s *Session) {
	id := r.PathValue("session_id")
	// Which session is this browser's only the backend knows: ask first,
	// since after the revocation the answer would be a 401.
	list, err := u.api.ListMySessionsWithResponse(r.Context(), &apiclient.ListMySessionsParams{Limit: &maxPage}, s.auth())
	if err := check(list, err); err != nil {
		u.fail(w, r, s, err)
		return
	}
	current := false
	for _, si := range list.JSON200.Items {
		if si.SessionId == id && si.Current {
			current = true
		}
	}
	resp, err := u.api.RevokeMySessionWithResponse(r.Context(), id, s.auth())
	if err := check(resp, err); err != nil {
		if e, ok := refusal(err); ok {
			u.showAccount(w, r, s, e.Status, e.Message, nil)
			return
		}
		u.fail(w, r, s, err)
		return
	}
	if current {
		u.bounce(w, r, "You signed this browser out.")
		return
	}
	u.redirect(w, r, "/account", "That session is signed out.")
}
