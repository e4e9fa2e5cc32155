package admin

import (
	"net/http"

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
