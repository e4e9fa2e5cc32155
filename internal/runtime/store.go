package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// turnRows gathers what turns produced (snapshots, reports, the turn
// history) for any number of games, so that one statement per table stores
// a whole batch.
type turnRows struct {
	snapshots runtimestore.InsertSnapshotsParams
	reports   runtimestore.InsertReportsParams
	turns     runtimestore.InsertTurnsParams
}

// addData adds a turn's snapshot and every race's report, each under the
// player who held the race at the time.
func (w *turnRows) addData(gameID string, turn int, snapshot []byte, reports map[string]game.Report, races roster) error {
	w.snapshots.GameIds = append(w.snapshots.GameIds, gameID)
	w.snapshots.Turns = append(w.snapshots.Turns, int32(turn))
	w.snapshots.Snapshots = append(w.snapshots.Snapshots, snapshot)
	r := &w.reports
	for _, raceID := range slices.Sorted(maps.Keys(reports)) {
		rep := reports[raceID]
		data, err := json.Marshal(rep.Data)
		if err != nil {
			return fmt.Errorf("encode report of %s: %w", raceID, err)
		}
		r.GameIds = append(r.GameIds, gameID)
		r.Turns = append(r.Turns, int32(turn))
		r.UserIds = append(r.UserIds, races.player(raceID))
		r.RaceIds = append(r.RaceIds, raceID)
		r.RaceNames = append(r.RaceNames, races.name(raceID))
		r.Texts = append(r.Texts, rep.Text)
		r.Datas = append(r.Datas, data)
	}
	return nil
}

// addTurn adds a turn to its game's history.
func (w *turnRows) addTurn(gameID string, turn int, sum game.Summary) error {
	data, err := json.Marshal(sum)
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	w.turns.GameIds = append(w.turns.GameIds, gameID)
	w.turns.Turns = append(w.turns.Turns, int32(turn))
	w.turns.Summaries = append(w.turns.Summaries, data)
	return nil
}

// write stores what was added. A turn stored already is left as it is.
func (w *turnRows) write(ctx context.Context, q *runtimestore.Queries) error {
	if len(w.snapshots.GameIds) > 0 {
		if err := q.InsertSnapshots(ctx, w.snapshots); err != nil {
			return fmt.Errorf("store snapshots: %w", err)
		}
	}
	if len(w.reports.GameIds) > 0 {
		if err := q.InsertReports(ctx, w.reports); err != nil {
			return fmt.Errorf("store reports: %w", err)
		}
	}
	if len(w.turns.GameIds) > 0 {
		if err := q.InsertTurns(ctx, w.turns); err != nil {
			return fmt.Errorf("store the turn history: %w", err)
		}
	}
	return nil
}
