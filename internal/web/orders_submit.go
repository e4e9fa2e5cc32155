package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// maxOrdersForm bounds an orders form: the backend takes at most 256 KiB of
// orders, and the form encoding may double it.
const maxOrdersForm = 1 << 20

// OrdersSubmit stores the player's orders for the next turn.
func (u *UI) OrdersSubmit(w http.ResponseWriter, r *http.Request) { u.signedIn(u.ordersSubmit)(w, r) }

// ordersSubmit sends the form's orders (fields text, final, turn) to the
// backend and shows the editor again with the engine's verdict: the
// mistakes by line and the forecast. A refusal (the turn already ran, the
// game is not running) keeps the text in the editor, with the reason.
func (u *UI) ordersSubmit(w http.ResponseWriter, r *http.Request, s *Session) {
	ctx := r.Context()
	gameID := r.PathValue("game_id")
	r.Body = http.MaxBytesReader(w, r.Body, maxOrdersForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The orders form could not be read (too long?).", http.StatusRequestEntityTooLarge)
		return
	}
	text := normalizeOrders(r.PostForm.Get("text"))
	final := ordersFinal(r.PostForm.Get("final"))
	turn, err := strconv.Atoi(r.PostForm.Get("turn"))
	if err != nil || turn < 1 {
		turn = 0 // the backend names the right turn in its refusal
	}
	resp, err := u.api.SubmitOrdersWithResponse(ctx, gameID,
		apiclient.SubmitOrdersJSONRequestBody{Turn: turn, Text: text, Final: &final}, s.auth())
	if err := check(resp, err); err != nil {
		u.ordersRefused(w, r, s, gameID, text, err)
		return
	}
	verdict := resp.JSON200
	if verdict.Errors == nil {
		verdict.Errors = []apiclient.OrderMistake{}
	}
	// Read the stored set after the submit: the page shows what is in force.
	page, err := u.ordersPage(ctx, s, gameID, turn)
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	page.Text, page.Verdict, page.Posted = text, verdict, true
	v := playView(s, "Orders", "orders", &page.playBase, page)
	v.Flash = fmt.Sprintf("Your orders for turn %d are stored.", turn)
	if final {
		v.Flash = fmt.Sprintf("Your orders for turn %d are stored as final: the turn may run as soon as every race is done.", turn)
	}
	if n := len(verdict.Errors); n > 0 {
		v.Error = fmt.Sprintf("%d %s with a mistake (listed below) will not run; the other lines will. Fix %s and submit again if you want %s to count.",
			n, playPlural(n, "line", "lines"), playPlural(n, "it", "them"), playPlural(n, "it", "them"))
	}
	u.render(w, r, http.StatusOK, "orders", v)
}

// ordersRefused shows the editor again, keeping text, after the backend
// refused to store it.
func (u *UI) ordersRefused(w http.ResponseWriter, r *http.Request, s *Session, gameID, text string, refusal error) {
	e, ok := asAPI(refusal)
	if !ok || e.Status == http.StatusUnauthorized {
		u.fail(w, r, s, refusal)
		return
	}
	page, err := u.ordersPage(r.Context(), s, gameID, 0)
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	page.Text, page.Posted = text, true
	v := playView(s, "Orders", "orders", &page.playBase, page)
	switch {
	case e.Status == http.StatusConflict && e.Code == "conflict":
		v.Error = fmt.Sprintf("That turn has already run, so these orders were not stored. They are kept below: "+
			"check them against the new report, then submit them for turn %d.", page.Turn)
	case e.Code == "failed_precondition":
		v.Error = "Orders are not taken now: " + e.Message
	default:
		v.Error = "Your orders were not stored: " + e.Message
	}
	u.render(w, r, e.Status, "orders", v)
}

// normalizeOrders gives order text plain line ends (browsers send CRLF).
func normalizeOrders(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// ordersFinal reads a checkbox or button value.
func ordersFinal(s string) bool {
	switch strings.ToLower(s) {
	case "true", "on", "1", "yes":
		return true
	}
	return false
}
