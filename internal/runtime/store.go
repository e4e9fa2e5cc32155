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

// storeTurnData stores a turn's snapshot and every race's report. Race ids
// are user ids; the race name is the one the player joined under (the id
// itself for a race with no membership row, which cannot happen in a game
// the lobby started).
func storeTurnData(ctx context.Context, q *runtimestore.Queries, gameID string, turn int, snapshot []byte,
	reports map[string]game.Report, names map[string]string) error {
	if err := q.InsertSnapshot(ctx, runtimestore.InsertSnapshotParams{GameID: gameID, Turn: int32(turn), Snapshot: snapshot}); err != nil {
		return fmt.Errorf("store snapshot of turn %d: %w", turn, err)
	}
	for _, raceID := range slices.Sorted(maps.Keys(reports)) {
		rep := reports[raceID]
		data, err := json.Marshal(rep.Data)
		if err != nil {
			return fmt.Errorf("encode report of %s: %w", raceID, err)
		}
		name := names[raceID]
		if name == "" {
			name = raceID
		}
		if err := q.InsertReport(ctx, runtimestore.InsertReportParams{
			GameID: gameID, Turn: int32(turn), UserID: raceID, RaceID: raceID, RaceName: name, Text: rep.Text, Data: data,
		}); err != nil {
			return fmt.Errorf("store report of %s for turn %d: %w", raceID, turn, err)
		}
	}
	return nil
}

// raceNames maps every member's user id (its race id) to its race name.
func raceNames(ctx context.Context, q *runtimestore.Queries, gameID string) (all map[string]string, active []game.RaceSpec, err error) {
	members, err := q.ListMembers(ctx, gameID)
	if err != nil {
		return nil, nil, err
	}
	all = make(map[string]string, len(members))
	for _, m := range members {
		all[m.UserID] = m.RaceName
		if m.Status == "active" {
			active = append(active, game.RaceSpec{ID: m.UserID, Name: m.RaceName})
		}
	}
	return all, active, nil
}
