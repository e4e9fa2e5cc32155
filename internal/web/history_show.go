package web

import (
	"context"
	"html/template"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web/svg"
)

type historyPage struct {
	playBase
	// Chart draws Rows' numbers.
	Chart template.HTML
	// Rows are the turns, newest first.
	Rows []historyRow
	// Finished and Winners tell the end of the game (race names).
	Finished bool
	Winners  []string
}

// historyRow is one turn with the player's race's numbers after it.
type historyRow struct {
	Turn  int
	RanAt time.Time
	// Found is false when the turn's summary does not list the race (it
	// left, or was removed).
	Found      bool
	Planets    int
	Population float64
	Industry   float64
	Production float64
	Ships      int
	Rank       int
	Eliminated bool
}

// HistoryShow is the turns a game has run, with the player's growth.
func (u *UI) HistoryShow(w http.ResponseWriter, r *http.Request) { u.signedIn(u.historyShow)(w, r) }

func (u *UI) historyShow(w http.ResponseWriter, r *http.Request, s *Session) {
	ctx := r.Context()
	gameID := r.PathValue("game_id")
	var (
		wg                 sync.WaitGroup
		game               *apiclient.Game
		turns              *apiclient.TurnList
		members            *apiclient.MemberList
		errG, errT, errMem error
	)
	wg.Go(func() {
		resp, err := u.api.GetGameWithResponse(ctx, gameID, s.auth())
		if errG = check(resp, err); errG == nil {
			game = resp.JSON200
		}
	})
	wg.Go(func() { turns, errT = u.allTurns(ctx, s, gameID) })
	wg.Go(func() {
		// Only to name the winners: a failure leaves their ids.
		resp, err := u.api.ListMembersWithResponse(ctx, gameID, &apiclient.ListMembersParams{Limit: &maxPage}, s.auth())
		if errMem = check(resp, err); errMem == nil {
			members = resp.JSON200
		}
	})
	wg.Wait()
	for _, err := range []error{errG, errT} {
		if err != nil {
			u.fail(w, r, s, err)
			return
		}
	}
	page := &historyPage{playBase: playBase{Game: game}}
	chart, rows := historyOf(turns.Items, s.Me.UserId)
	page.Chart = svg.Chart(chart)
	slices.Reverse(rows)
	page.Rows = rows
	if members != nil {
		for _, m := range members.Items {
			if m.UserId == s.Me.UserId {
				page.MyRace = m.RaceName
			}
		}
	}
	if n := len(turns.Items); n > 0 {
		last := turns.Items[n-1].Summary
		page.Finished = last.Finished
		for _, id := range last.Winners {
			name := id
			if members != nil {
				for _, m := range members.Items {
					if m.UserId == id {
						name = m.RaceName
					}
				}
			}
			page.Winners = append(page.Winners, name)
		}
	}
	u.render(w, r, http.StatusOK, "history", playView(s, "History", "history", &page.playBase, page))
}

// historyOf picks the race of userID out of every turn's summary (the
// summary's race_id is the player's user id): the chart's series and the
// table's rows, oldest first. A turn without the race is a gap.
func historyOf(turns []apiclient.TurnInfo, userID string) (svg.ChartView, []historyRow) {
	c := svg.ChartView{
		Turns: make([]int, 0, len(turns)),
		Series: []svg.Series{
			{Name: "Planets"}, {Name: "Population"}, {Name: "Industry"}, {Name: "Ships"},
		},
	}
	rows := make([]historyRow, 0, len(turns))
	for _, t := range turns {
		row := historyRow{Turn: t.Turn, RanAt: t.RanAt}
		for _, rs := range t.Summary.Races {
			if rs.RaceId != userID {
				continue
			}
			row.Found = true
			row.Planets, row.Ships, row.Eliminated = rs.Planets, rs.Ships, rs.Eliminated
			row.Population, row.Industry = hundredths(float64(rs.Population)), hundredths(float64(rs.Industry))
			if rs.Production != nil {
				row.Production = hundredths(float64(*rs.Production))
			}
			if rs.Rank != nil {
				row.Rank = *rs.Rank
			}
		}
		rows = append(rows, row)
		c.Turns = append(c.Turns, t.Turn)
		vals := [4]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}
		if row.Found {
			vals = [4]float64{float64(row.Planets), row.Population, row.Industry, float64(row.Ships)}
		}
		for i := range c.Series {
			c.Series[i].Values = append(c.Series[i].Values, vals[i])
		}
	}
	c.Label = "Your planets, population, industry and ships per turn; each line scaled to its own maximum"
	return c, rows
}

// hundredths rounds to hundredths, as the reports print numbers: float32
// values from the API would otherwise show 1750.0000000001.
func hundredths(v float64) float64 { return math.Round(v*100) / 100 }

// allTurns reads every turn of a game, page after page: the history's chart
// spans the whole game, however long.
func (u *UI) allTurns(ctx context.Context, s *Session, gameID string) (*apiclient.TurnList, error) {
	all := &apiclient.TurnList{}
	var cursor *string
	for {
		resp, err := u.api.ListTurnsWithResponse(ctx, gameID, &apiclient.ListTurnsParams{Limit: &maxPage, Cursor: cursor}, s.auth())
		if err := check(resp, err); err != nil {
			return nil, err
		}
		all.Items = append(all.Items, resp.JSON200.Items...)
		if cursor = resp.JSON200.NextCursor; cursor == nil {
			return all, nil
		}
	}
}
