package admin

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/user"
)

// GetUserAdmin returns one user's profile (operators).
func (h *Handlers) GetUserAdmin(w http.ResponseWriter, r *http.Request, userID string) {
	u, err := h.Service.users.Get(r.Context(), userID)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, user.ProfileJSON(u))
}

// ListUserSessionsAdmin lists a user's live sessions (operators).
func (h *Handlers) ListUserSessionsAdmin(w http.ResponseWriter, r *http.Request, userID string, p apigen.ListUserSessionsAdminParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	rows, next, err := h.Service.auth.SessionsPage(r.Context(), userID, limit, after)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	out := apigen.SessionList{Items: make([]apigen.SessionInfo, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, s := range rows {
		out.Items[i] = apigen.SessionInfo{SessionId: s.SessionID, CreatedAt: s.CreatedAt.UTC(), ExpiresAt: s.ExpiresAt.UTC(),
			LastUsedAt: s.LastUsedAt.UTC(), ClientIp: optional(s.ClientIp), UserAgent: optional(s.UserAgent)}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
