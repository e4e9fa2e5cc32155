package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// Latest asks Reports for the newest report.
const Latest = -1

// Report is one race's report of one turn.
type Report struct {
	Turn     int
	RaceName string
	Text     string
	// Data is the structured report (game.ReportData) as stored.
	Data json.RawMessage
}

// Turn is one entry of a game's turn history as one reader may see it
// (Service.Turns).
type Turn struct {
	Turn  int
	RanAt time.Time
	// RacesAlive counts the races not eliminated after the turn, and
	// Finished says whether the game ended with it: public facts.
	RacesAlive int
	Finished   bool
	// Played says the reader's race took part in the turn. Only then are
	// Races (every race's standing, the reader's own with its totals) and
	// Winners (race ids, best first, once the game is over) filled.
	Played  bool
	Races   []TurnRace
	Winners []string
}

// TurnRace is one race of a turn as a player of the turn sees it: whether
// it is still in the game; its totals only when it is the reader's own.
type TurnRace struct {
	RaceID     string
	Eliminated bool
	// Totals is the race's whole line of the turn's summary, on the
	// reader's own race only (nil on the others).
	Totals *game.RaceSummary
}

// Reports returns userID's own report of turn (or of the latest turn with
// Latest): a player never sees another race's report.
//
// Errors: errs.NotFound when the caller has no report of that turn (not a
// player, or the turn has not run).
func (s *Service) Reports(ctx context.Context, gameID, userID string, turn int) (Report, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	q := runtimestore.New(s.db.Pool)
	var (
		r   runtimestore.RaceReport
		err error
	)
	if turn == Latest {
		r, err = q.LatestReport(ctx, runtimestore.LatestReportParams{GameID: gameID, UserID: userID})
	} else {
		r, err = q.GetReport(ctx, runtimestore.GetReportParams{GameID: gameID, UserID: userID, Turn: int32(turn)})
	}
	if postgres.IsNoRows(err) {
		return Report{}, errs.E(errs.NotFound, "no report for you in game %s", gameID).
			WithDetail("game_id", gameID).WithDetail("turn", turn)
	}
	if err != nil {
		return Report{}, postgres.Translate(err)
	}
	return Report{Turn: int(r.Turn), RaceName: r.RaceName, Text: r.Text, Data: r.Data}, nil
}

// TurnsPage returns one page of the game's turn history, oldest first
// (empty before the first turn), and the cursor of the next page (nil on
// the last), as readerID may see it: anyone reads when each turn ran, how
// many races were alive after it and whether the game ended; a player whose
// race took part in a turn also reads, as their report would show it, their
// race's totals and every other race's standing (in the game or
// eliminated), never another race's numbers. The reader's race is the one
// they play now (a substitute reads the race's whole history), or else the
// one they played in that turn.
func (s *Service) TurnsPage(ctx context.Context, gameID, readerID string, limit int, after *httpx.Cursor) ([]Turn, *httpx.Cursor, error) {
	p := runtimestore.PageTurnsParams{GameID: gameID, MaxRows: int32(limit + 1)}
	if after != nil {
		n, err := strconv.ParseInt(after.ID, 10, 32)
		if err != nil {
			return nil, nil, errs.E(errs.InvalidArgument, "cursor is not one this server issued").WithDetail("field", "cursor")
		}
		p.AfterTurn = int32(n)
	} else {
		p.AfterTurn = -1
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	q := runtimestore.New(s.db.Pool)
	raceOf, err := readerRaces(ctx, q, gameID, readerID)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	rows, err := q.PageTurns(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	rows, next := httpx.PageOf(rows, limit, func(r runtimestore.GameTurn) httpx.Cursor {
		return httpx.Cursor{At: r.RanAt, ID: strconv.Itoa(int(r.Turn))}
	})
	out := make([]Turn, 0, len(rows))
	for _, r := range rows {
		var sum game.Summary
		if err := json.Unmarshal(r.Summary, &sum); err != nil {
			return nil, nil, fmt.Errorf("decode the summary of turn %d of %s: %w", r.Turn, gameID, err)
		}
		out = append(out, turnAsSeenBy(int(r.Turn), r.RanAt, sum, raceOf(int(r.Turn))))
	}
	return out, next, nil
}

// Turns returns every turn of a game as readerID may see it, oldest first.
func (s *Service) Turns(ctx context.Context, gameID, readerID string) ([]Turn, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	q := runtimestore.New(s.db.Pool)
	raceOf, err := readerRaces(ctx, q, gameID, readerID)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	rows, err := q.ListTurns(ctx, gameID)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Turn, 0, len(rows))
	for _, r := range rows {
		var sum game.Summary
		if err := json.Unmarshal(r.Summary, &sum); err != nil {
			return nil, fmt.Errorf("decode the summary of turn %d of %s: %w", r.Turn, gameID, err)
		}
		out = append(out, turnAsSeenBy(int(r.Turn), r.RanAt, sum, raceOf(int(r.Turn))))
	}
	return out, nil
}

// readerRaces returns, for each turn, the race whose standing readerID may
// read in it ("" for none): the race they play now, or the race they
// played in that turn.
func readerRaces(ctx context.Context, q *runtimestore.Queries, gameID, readerID string) (func(turn int) string, error) {
	none := func(int) string { return "" }
	if readerID == "" {
		return none, nil
	}
	m, err := q.GetMembership(ctx, runtimestore.GetMembershipParams{GameID: gameID, UserID: readerID})
	switch {
	case postgres.IsNoRows(err):
		return none, nil
	case err != nil:
		return nil, err
	case m.Status == "active":
		return func(int) string { return m.RaceID }, nil
	}
	played, err := q.ListPlayedTurns(ctx, runtimestore.ListPlayedTurnsParams{GameID: gameID, UserID: readerID})
	if err != nil {
		return nil, err
	}
	byTurn := make(map[int]string, len(played))
	for _, p := range played {
		byTurn[int(p.Turn)] = p.RaceID
	}
	return func(turn int) string { return byTurn[turn] }, nil
}

// turnAsSeenBy is the part of a turn's summary the player of readerRace may
// read.
func turnAsSeenBy(turn int, ranAt time.Time, sum game.Summary, readerRace string) Turn {
	t := Turn{Turn: turn, RanAt: ranAt, Finished: sum.Finished}
	for _, r := range sum.Races {
		if !r.Eliminated {
			t.RacesAlive++
		}
		t.Played = t.Played || (readerRace != "" && r.RaceID == readerRace)
	}
	if !t.Played {
		return t
	}
	t.Winners = sum.Winners
	t.Races = make([]TurnRace, len(sum.Races))
	for i, r := range sum.Races {
		t.Races[i] = TurnRace{RaceID: r.RaceID, Eliminated: r.Eliminated}
		if r.RaceID == readerRace {
			t.Races[i].Totals = &sum.Races[i]
		}
	}
	return t
}
