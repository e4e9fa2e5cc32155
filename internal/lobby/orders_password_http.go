package lobby

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// RotateOrdersPassword gives the caller a new orders password for a game.
func (h *Handlers) RotateOrdersPassword(w http.ResponseWriter, r *http.Request, gameID string) {
	password, err := h.Service.RotateOrdersPassword(r.Context(), caller(r), gameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.OrdersPassword{Password: password}
	if h.OrdersAddress != "" {
		out.OrdersAddress = &h.OrdersAddress
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
