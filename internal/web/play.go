package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// What the pages of a running game share: the game and the race's report
// at their top, read together.

// playBase is the top of every page of a running game.
type playBase struct {
	// Game is the game as the lobby knows it (name, turn, next turn).
	Game *apiclient.Game
	// Report is the race's report the page shows; nil when there is none
	// yet (the game has not run its first turn, or no such turn).
	Report *apiclient.RaceReport
	// MyRace is the race's name where a page knows it without a report.
	MyRace string
}

// Race is the player's race name, "" when unknown.
func (b *playBase) Race() string {
	if b.Report == nil {
		return b.MyRace
	}
	return b.Report.RaceName
}

// Playing tells that orders are taken now: the game runs or is paused.
func (b *playBase) Playing() bool {
	return b.Game != nil && (b.Game.Status == "running" || b.Game.Status == "paused")
}

// latestTurn asks for the newest report.
const latestTurn = -1

// gameAndReport reads the game and the report of turn (latestTurn for the
// newest) at once. A report the backend does not have (404) is no error:
// the page says there is none.
func (u *UI) gameAndReport(ctx context.Context, s *Session, gameID string, turn int) (*playBase, error) {
	var (
		wg   sync.WaitGroup
		b    playBase
		errG error
		errR error
	)
	wg.Go(func() {
		resp, err := u.api.GetGameWithResponse(ctx, gameID, s.auth())
		if errG = check(resp, err); errG == nil {
			b.Game = resp.JSON200
		}
	})
	wg.Go(func() {
		var (
			rep  *apiclient.RaceReport
			errC error
		)
		if turn == latestTurn {
			resp, err := u.api.GetLatestReportWithResponse(ctx, gameID, s.auth())
			if errC = check(resp, err); errC == nil {
				rep = resp.JSON200
			}
		} else {
			resp, err := u.api.GetReportWithResponse(ctx, gameID, turn, s.auth())
			if errC = check(resp, err); errC == nil {
				rep = resp.JSON200
			}
		}
		if e, ok := asAPI(errC); ok && e.Status == http.StatusNotFound {
			errC = nil
		}
		b.Report, errR = rep, errC
	})
	wg.Wait()
	if errG != nil {
		return nil, errG
	}
	if errR != nil {
		return nil, errR
	}
	return &b, nil
}

// parseTurn reads a turn number from a path or query value: "latest" (or
// nothing) is latestTurn; anything else must be a turn number.
func parseTurn(s string) (int, bool) {
	if s == "" || s == "latest" {
		return latestTurn, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, false
	}
	return n, true
}

// playNotFound shows the not-found page with msg.
func (u *UI) playNotFound(w http.ResponseWriter, r *http.Request, s *Session, msg string) {
	u.render(w, r, http.StatusNotFound, "error", s.view("Not found", "", &errorPage{Status: http.StatusNotFound, Message: msg}))
}

// playView starts the view of a game page, so that the game menu and the
// live script know the game.
func playView(s *Session, title, nav string, b *playBase, data any) *View {
	if b != nil && b.Game != nil {
		title = fmt.Sprintf("%s · %s", title, b.Game.Name)
	}
	v := s.view(title, nav, data)
	if b != nil && b.Game != nil {
		v.GameID = b.Game.GameId
	}
	return v
}
