package web

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/gateway/session"
)

// OrdersCheck asks the engine for its verdict on orders without storing
// them. The editor's script posts the text (form field text, or JSON
// {"text"}) as the player types and reads JSON {accepted, errors:
// [{line, message}], forecast}; without the script, the editor's "Check"
// button posts the form and gets the editor back with the verdict.
func (u *UI) OrdersCheck(w http.ResponseWriter, r *http.Request) {
	if wantsJSON(r) {
		u.ordersCheckJSON(w, r)
		return
	}
	u.signedIn(u.ordersCheckPage)(w, r)
}

// ordersCheckJSON answers the live check. It skips the page's profile read:
// it runs every few keystrokes, and the backend's answer tells a dead
// session anyway.
func (u *UI) ordersCheckJSON(w http.ResponseWriter, r *http.Request) {
	token := session.Token(r.Context())
	if token == "" {
		ordersJSONError(w, http.StatusUnauthorized, "unauthenticated", msgSignInFirst)
		return
	}
	text, ok := readOrdersText(w, r)
	if !ok {
		ordersJSONError(w, http.StatusBadRequest, "invalid_argument", "The orders could not be read.")
		return
	}
	s := &Session{Token: token}
	resp, err := u.api.CheckOrdersWithResponse(r.Context(), r.PathValue("game_id"), apiclient.CheckOrdersJSONRequestBody{Text: text}, s.auth())
	if err := check(resp, err); err != nil {
		if e, ok := asAPI(err); ok {
			msg := e.Message
			if e.Status == http.StatusUnauthorized {
				msg = msgSessionEnded
			}
			ordersJSONError(w, e.Status, e.Code, msg)
			return
		}
		u.logger.Warn("orders check failed", "error", err)
		ordersJSONError(w, http.StatusBadGateway, "unavailable", "The game server did not answer. Try again in a moment.")
		return
	}
	out := resp.JSON200
	if out.Errors == nil {
		out.Errors = []apiclient.OrderMistake{}
	}
	writeJSON(w, http.StatusOK, out)
}

// ordersCheckPage shows the editor with the verdict on the posted text.
func (u *UI) ordersCheckPage(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID := r.PathValue("game_id")
	text, ok := readOrdersText(w, r)
	if !ok {
		http.Error(w, "The orders form could not be read (too long?).", http.StatusRequestEntityTooLarge)
		return
	}
	resp, err := u.api.CheckOrdersWithResponse(r.Context(), gameID, apiclient.CheckOrdersJSONRequestBody{Text: text}, s.auth())
	if err := check(resp, err); err != nil {
		u.ordersRefused(w, r, s, gameID, text, err)
		return
	}
	page, err := u.ordersPage(r.Context(), s, gameID, 0)
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	page.Text, page.Verdict, page.Checked, page.Posted = text, resp.JSON200, true, true
	v := playView(s, "Orders", "orders", &page.playBase, page)
	v.Flash = "Checked only: nothing was stored. Submit the orders to store them."
	u.render(w, r, http.StatusOK, "orders", v)
}

// wantsJSON tells a script's request from a form's.
func wantsJSON(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/json" || strings.Contains(r.Header.Get("Accept"), "application/json")
}

// readOrdersText reads the text of a check: JSON {"text"} or form field
// text.
func readOrdersText(w http.ResponseWriter, r *http.Request) (string, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxOrdersForm)
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		var body struct {
			Text string `json:"text"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			return "", false
		}
		return normalizeOrders(body.Text), true
	}
	if err := r.ParseForm(); err != nil {
		return "", false
	}
	return normalizeOrders(r.PostForm.Get("text")), true
}

func ordersJSONError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}
