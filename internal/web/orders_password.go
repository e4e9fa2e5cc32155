package web

import (
	"net/http"
)

// OrdersPasswordRotate draws a new orders password for the player's race
// (POST /games/{game_id}/orders-password) and shows it once on the game
// page: it is not put in a flash cookie or a URL, and the backend keeps
// only its hash.
func (u *UI) OrdersPasswordRotate(w http.ResponseWriter, r *http.Request) {
	u.signedIn(u.ordersPasswordRotate)(w, r)
}

func (u *UI) ordersPasswordRotate(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID := r.PathValue("game_id")
	resp, err := u.api.RotateOrdersPasswordWithResponse(r.Context(), gameID, s.auth())
	if err := check(resp, err); err != nil {
		u.refuseOnGame(w, r, s, gameID, err, func(p *gamePage) { p.Failed = "orders-password" })
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	u.showGame(w, r, s, gameID, http.StatusOK, "", func(p *gamePage) {
		p.NewPassword = resp.JSON200.Password
		if a := resp.JSON200.OrdersAddress; a != nil {
			p.OrdersAddress = *a
		}
	})
}
