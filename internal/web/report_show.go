package web

import (
	"net/http"
	"net/url"
	"strconv"
)

type reportPage struct {
	playBase
	// Asked is the turn asked for, latestTurn for the newest.
	Asked int
	// Turns are the turns the picker offers, newest first.
	Turns []int
	// Prev and Next are the neighbouring turns, -1 when there is none.
	Prev, Next int
}

// Shown is the turn of the report on the page (the asked one when there is
// no report).
func (p *reportPage) Shown() int {
	if p.Report != nil {
		return p.Report.Turn
	}
	return p.Asked
}

// ReportShow is a race's report of one turn: the classic text and the same
// data as tables.
func (u *UI) ReportShow(w http.ResponseWriter, r *http.Request) { u.signedIn(u.reportShow)(w, r) }

func (u *UI) reportShow(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID := r.PathValue("game_id")
	// The turn picker is a GET form: send its choice to the turn's own URL.
	if t := r.URL.Query().Get("turn"); t != "" {
		if n, ok := parseTurn(t); ok {
			target := "latest"
			if n != latestTurn {
				target = strconv.Itoa(n)
			}
			http.Redirect(w, r, "/games/"+url.PathEscape(gameID)+"/reports/"+target, http.StatusSeeOther)
			return
		}
	}
	turn, ok := parseTurn(r.PathValue("turn"))
	if !ok {
		u.playNotFound(w, r, s, "There is no such turn: reports are numbered from 0, or ask for the latest.")
		return
	}
	b, err := u.gameAndReport(r.Context(), s, gameID, turn)
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	page := &reportPage{playBase: *b, Asked: turn, Prev: -1, Next: -1}
	last := b.Game.CurrentTurn
	if b.Report != nil && b.Report.Turn > last {
		last = b.Report.Turn
	}
	for t := last; t >= 0; t-- {
		page.Turns = append(page.Turns, t)
	}
	if shown := page.Shown(); shown != latestTurn {
		if shown > 0 {
			page.Prev = min(shown-1, last)
		}
		if shown < last {
			page.Next = shown + 1
		}
	}
	title := "Report"
	if b.Report != nil {
		title = "Turn " + strconv.Itoa(b.Report.Turn) + " report"
	}
	status := http.StatusOK
	if b.Report == nil && turn != latestTurn {
		status = http.StatusNotFound // no report of that turn
	}
	u.render(w, r, status, "report", playView(s, title, "report", b, page))
}
