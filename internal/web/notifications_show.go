package web

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// notificationsPageSize is how many notifications one page shows.
const notificationsPageSize = 30

type notificationsPage struct {
	Items []notificationRow
	// Cursor is this page's cursor ("" for the newest), so that marking one
	// read comes back to the same page.
	Cursor string
	// Older is the cursor of the next, older page; "" when this is the last.
	Older     string
	AnyUnread bool
}

// NotificationsShow lists the player's notifications, newest first, a page
// at a time (?cursor= pages through older ones), each as a sentence with a
// link to what it is about; unread ones stand out.
func (u *UI) NotificationsShow(w http.ResponseWriter, r *http.Request) {
	u.signedIn(u.notificationsShow)(w, r)
}

func (u *UI) notificationsShow(w http.ResponseWriter, r *http.Request, s *Session) {
	limit := notificationsPageSize
	params := &apiclient.ListNotificationsParams{Limit: &limit}
	cursor := r.URL.Query().Get("cursor")
	if cursor != "" {
		params.Cursor = &cursor
	}
	resp, err := u.api.ListNotificationsWithResponse(r.Context(), params, s.auth())
	if err := check(resp, err); err != nil {
		u.fail(w, r, s, err)
		return
	}
	page := &notificationsPage{Cursor: cursor, Items: make([]notificationRow, len(resp.JSON200.Items))}
	if c := resp.JSON200.NextCursor; c != nil {
		page.Older = *c
	}
	for i, n := range resp.JSON200.Items {
		text, link, linkText := describeNotification(s, n.Kind, n.Payload)
		page.Items[i] = notificationRow{ID: n.NotificationId, Text: text, Link: link, LinkText: linkText,
			CreatedAt: n.CreatedAt, Unread: n.ReadAt == nil}
	}
	// The badge counts every unread one, not only this page's.
	page.AnyUnread = s.Unread > 0
	u.render(w, r, http.StatusOK, "notifications", s.view("Notifications", "notifications", page))
}
