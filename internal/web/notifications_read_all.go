package web

import (
	"net/http"
	"strconv"
)

// NotificationsReadAll marks every unread notification of the player read.
func (u *UI) NotificationsReadAll(w http.ResponseWriter, r *http.Request) {
	u.signedIn(u.notificationsReadAll)(w, r)
}

func (u *UI) notificationsReadAll(w http.ResponseWriter, r *http.Request, s *Session) {
	resp, err := u.api.MarkAllNotificationsReadWithResponse(r.Context(), s.auth())
	if err := check(resp, err); err != nil {
		u.fail(w, r, s, err)
		return
	}
	msg := "No unread notifications."
	switch n := resp.JSON200.Updated; n {
	case 0:
	case 1:
		msg = "1 notification marked read."
	default:
		msg = strconv.FormatInt(n, 10) + " notifications marked read."
	}
	u.redirect(w, r, "/notifications", msg)
}
