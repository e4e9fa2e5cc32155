package runtime

import (
	"context"
	"encoding/json"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
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

// Turn is one entry of a game's turn history.
type Turn struct {
	Turn  int
	RanAt time.Time
	// Summary is the turn's game.Summary as stored.
	Summary json.RawMessage
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

// Turns returns the game's turn history, oldest first (empty before the
// first turn).
func (s *Service) Turns(ctx context.Context, gameID string) ([]Turn, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := runtimestore.New(s.db.Pool).ListTurns(ctx, gameID)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Turn, 0, len(rows))
	for _, r := range rows {
		out = append(out, Turn{Turn: int(r.Turn), RanAt: r.RanAt, Summary: r.Summary})
	}
	return out, nil
}
