package notification

import (
	"log/slog"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// Handlers serve the notification endpoints; the user and admin guards have
// authenticated the caller before they run.
type Handlers struct {
	Service *Service
	Logger  *slog.Logger
}

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(r.Context(), w, h.Logger, err)
}

func caller(r *http.Request) string {
	u, _ := authctx.UserFrom(r.Context())
	return u.UserID
}

// ItemJSON renders an inbox entry.
func ItemJSON(n Notification) apigen.Notification {
	out := apigen.Notification{NotificationId: n.NotificationID, Kind: n.Kind, Payload: payloadObject(n.Payload),
		CreatedAt: utc(n.CreatedAt)}
	if n.ReadAt != nil {
		t := utc(*n.ReadAt)
		out.ReadAt = &t
	}
	return out
}

// ListNotifications lists the caller's inbox.
func (h *Handlers) ListNotifications(w http.ResponseWriter, r *http.Request, p apigen.ListNotificationsParams) {
	n, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.Service.List(r.Context(), caller(r), p.Unread != nil && *p.Unread, n, after)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.NotificationList{Items: make([]apigen.Notification, len(page.Items))}
	for i, item := range page.Items {
		out.Items[i] = ItemJSON(item)
	}
	if page.Next != nil {
		c := page.Next.Encode()
		out.NextCursor = &c
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// MarkNotificationRead marks one notification read.
func (h *Handlers) MarkNotificationRead(w http.ResponseWriter, r *http.Request, notificationID apigen.NotificationID) {
	n, err := h.Service.MarkRead(r.Context(), caller(r), notificationID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, ItemJSON(n))
}

// MarkAllNotificationsRead marks the caller's whole inbox read.
func (h *Handlers) MarkAllNotificationsRead(w http.ResponseWriter, r *http.Request) {
	n, err := h.Service.MarkAllRead(r.Context(), caller(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, apigen.NotificationsUpdated{Updated: n})
}

func preferencesJSON(prefs []Preference) apigen.NotificationPreferenceList {
	out := apigen.NotificationPreferenceList{Items: make([]apigen.NotificationPreference, len(prefs))}
	for i, p := range prefs {
		out.Items[i] = apigen.NotificationPreference{Kind: p.Kind, Push: p.Push, Email: p.Email}
		if p.ReportFormat != "" {
			f := apigen.NotificationPreferenceReportFormat(p.ReportFormat)
			out.Items[i].ReportFormat = &f
		}
	}
	return out
}

// GetNotificationPreferences returns the caller's channels per kind.
func (h *Handlers) GetNotificationPreferences(w http.ResponseWriter, r *http.Request) {
	prefs, err := h.Service.Preferences(r.Context(), caller(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, preferencesJSON(prefs))
}

// PutNotificationPreferences replaces the caller's channels for the given kinds.
func (h *Handlers) PutNotificationPreferences(w http.ResponseWriter, r *http.Request) {
	var body apigen.NotificationPreferenceList
	if err := httpx.DecodeJSON(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	in := make([]Preference, len(body.Items))
	for i, p := range body.Items {
		in[i] = Preference{Kind: p.Kind, Push: p.Push, Email: p.Email}
		if p.ReportFormat != nil {
			in[i].ReportFormat = string(*p.ReportFormat)
		}
	}
	prefs, err := h.Service.SetPreferences(r.Context(), caller(r), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, preferencesJSON(prefs))
}

// ListNotificationDeadLetters lists dead-lettered routes (operators).
func (h *Handlers) ListNotificationDeadLetters(w http.ResponseWriter, r *http.Request, p apigen.ListNotificationDeadLettersParams) {
	n, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.Service.DeadLetters(r.Context(), n, after)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.NotificationDeadLetterList{Items: make([]apigen.NotificationDeadLetter, len(page.Items))}
	for i, d := range page.Items {
		out.Items[i] = apigen.NotificationDeadLetter{
			Id: d.RouteID, RouteId: d.RouteID, NotificationId: d.NotificationID, UserId: d.UserID, Kind: d.Kind,
			Channel: apigen.NotificationDeadLetterChannel(d.Channel), Reason: d.Reason, Attempts: int(d.Attempts),
			FailedAt: utc(d.FailedAt),
		}
	}
	if page.Next != nil {
		c := page.Next.Encode()
		out.NextCursor = &c
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// ReplayNotificationDeadLetter re-queues a dead-lettered route (operators).
func (h *Handlers) ReplayNotificationDeadLetter(w http.ResponseWriter, r *http.Request, id string) {
	rt, err := h.Service.Replay(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, RouteJSON(rt))
}

// RouteJSON renders a route.
func RouteJSON(rt Route) apigen.NotificationRoute {
	out := apigen.NotificationRoute{
		RouteId: rt.RouteID, NotificationId: rt.NotificationID, Channel: apigen.NotificationRouteChannel(rt.Channel),
		Status: apigen.NotificationRouteStatus(rt.Status), Attempts: int(rt.Attempts), LastError: rt.LastError,
		DeliveryId: rt.DeliveryID, CreatedAt: utc(rt.CreatedAt), UpdatedAt: utc(rt.UpdatedAt),
	}
	if rt.DeliveredAt != nil {
		t := utc(*rt.DeliveredAt)
		out.DeliveredAt = &t
	}
	return out
}
