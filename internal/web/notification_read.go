package web

import (
	"net/http"
	"net/url"
)

// NotificationRead marks one notification read and returns to the page of
// the list it was on.
func (u *UI) NotificationRead(w http.ResponseWriter, r *http.Request) {
	u.signedIn(u.notificationRead)(w, r)
}

func (u *UI) notificationRead(w http.ResponseWriter, r *http.Request, s *Session) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	resp, err := u.api.MarkNotificationReadWithResponse(r.Context(), r.PathValue("notification_id"), s.auth())
	if err := check(resp, err); err != nil {
		u.fail(w, r, s, err)
		return
	}
	u.redirect(w, r, notificationsURL(r.PostForm.Get("cursor")), "")
}

// notificationsURL is the notifications page at cursor ("" for the newest).
func notificationsURL(cursor string) string {
	if cursor == "" {
		return "/notifications"
	}
	return "/notifications?" + url.Values{"cursor": {cursor}}.Encode()
}
