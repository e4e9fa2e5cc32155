package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

type ordersPage struct {
	playBase
	// Turn is the turn the orders are for: the next one to run.
	Turn int
	// Text is what the editor holds.
	Text string
	// Stored is the set the backend keeps for Turn; nil when none.
	Stored *apiclient.StoredOrders
	// Verdict is the engine's answer to a submit or a check of Text.
	Verdict *apiclient.OrdersResult
	// Checked tells that Verdict came from a check: nothing was stored.
	Checked bool
	// Posted tells that the page answers a form sent by the player.
	Posted bool
	// Appended are the order lines added to the stored set by ?append=
	// (from the map's planet panel).
	Appended []string
}

// Mistakes are the mistakes to show beside Text: the verdict's, or the
// stored set's when the editor holds that set.
func (p *ordersPage) Mistakes() []apiclient.OrderMistake {
	switch {
	case p.Verdict != nil:
		return p.Verdict.Errors
	case p.Stored != nil && p.Stored.Text == p.Text:
		return p.Stored.Errors
	}
	return nil
}

// gutterLine is one line number beside the editor.
type gutterLine struct {
	N     int
	Error string
}

// Lines numbers the editor's lines, flagging those with a mistake.
func (p *ordersPage) Lines() []gutterLine {
	n := strings.Count(p.Text, "\n") + 1
	out := make([]gutterLine, n)
	for i := range out {
		out[i].N = i + 1
	}
	for _, m := range p.Mistakes() {
		if m.Line >= 1 && m.Line <= n && out[m.Line-1].Error == "" {
			out[m.Line-1].Error = m.Message
		}
	}
	return out
}

// Rows is the editor's height: its text and a little room, within bounds.
func (p *ordersPage) Rows() int { return min(max(strings.Count(p.Text, "\n")+3, 14), 32) }

// StoredText is the stored set's text, "" when none.
func (p *ordersPage) StoredText() string {
	if p.Stored == nil {
		return ""
	}
	return p.Stored.Text
}

// AppendedText is the appended lines, one per line.
func (p *ordersPage) AppendedText() string { return strings.Join(p.Appended, "\n") }

// OrdersShow is the order editor of a running game.
func (u *UI) OrdersShow(w http.ResponseWriter, r *http.Request) { u.signedIn(u.ordersShow)(w, r) }

// ordersShow opens the editor on the stored set of the next turn, with the
// orders of ?append= added at its end.
func (u *UI) ordersShow(w http.ResponseWriter, r *http.Request, s *Session) {
	page, err := u.ordersPage(r.Context(), s, r.PathValue("game_id"), 0)
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	page.Text = page.StoredText()
	for _, a := range r.URL.Query()["append"] {
		a = strings.TrimSpace(strings.ReplaceAll(a, "\r", ""))
		if a != "" && len(page.Appended) < 20 && len(a) <= 500 {
			page.Appended = append(page.Appended, a)
		}
	}
	if len(page.Appended) > 0 {
		page.Text = appendLines(page.Text, page.Appended)
	}
	u.render(w, r, http.StatusOK, "orders", playView(s, "Orders", "orders", &page.playBase, page))
}

// appendLines adds lines at the end of text, on lines of their own.
func appendLines(text string, lines []string) string {
	text = strings.TrimRight(text, " \t\r\n")
	if text != "" {
		text += "\n"
	}
	return text + strings.Join(lines, "\n")
}

// ordersPage reads the game, the latest report (for the race's name) and
// the stored set of the next turn, or of turn when not 0.
func (u *UI) ordersPage(ctx context.Context, s *Session, gameID string, turn int) (*ordersPage, error) {
	b, err := u.gameAndReport(ctx, s, gameID, latestTurn)
	if err != nil {
		return nil, err
	}
	page := &ordersPage{playBase: *b, Turn: b.Game.CurrentTurn + 1}
	if turn > 0 {
		page.Turn = turn
	}
	if !b.Playing() {
		return page, nil
	}
	stored, err := u.storedOrders(ctx, s, gameID, page.Turn)
	if err != nil {
		return nil, err
	}
	page.Stored = stored
	return page, nil
}

// storedOrders reads the player's stored set for turn; nil when none.
func (u *UI) storedOrders(ctx context.Context, s *Session, gameID string, turn int) (*apiclient.StoredOrders, error) {
	resp, err := u.api.GetOrdersWithResponse(ctx, gameID, &apiclient.GetOrdersParams{Turn: &turn}, s.auth())
	if err := check(resp, err); err != nil {
		if e, ok := asAPI(err); ok && e.Status == http.StatusNotFound {
			return nil, nil
		}
		return nil, err
	}
	return resp.JSON200, nil
}
