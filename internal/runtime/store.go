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

// storeTurnData stores a turn's snapshot and every race's report, each
// under the player who held the race at the time.
func storeTurnData(ctx context.Context, q *runtimestore.Queries, gameID string, turn int, snapshot []byte,
	reports map[string]game.Report, races roster) error {
	if err := q.InsertSnapshot(ctx, runtimestore.InsertSnapshotParams{GameID: gameID, Turn: int32(turn), Snapshot: snapshot}); err != nil {
		return fmt.Errorf("store snapshot of turn %d: %w", turn, err)
	}
	for _, raceID := range slices.Sorted(maps.Keys(reports)) {
		rep := reports[raceID]
		data, err := json.Marshal(rep.Data)
		if err != nil {
			return fmt.Errorf("encode report of %s: %w", raceID, err)
		}
		if err := q.InsertReport(ctx, runtimestore.InsertReportParams{
			GameID: gameID, Turn: int32(turn), UserID: races.player(raceID), RaceID: raceID, RaceName: races.name(raceID),
			Text: rep.Text, Data: data,
		}); err != nil {
			return fmt.Errorf("store report of %s for turn %d: %w", raceID, turn, err)
		}
	}
	return nil
}

// roster is a game's races as its memberships know them. A race id is the
// user id of the race's first player; a substitute who takes the race over
// gets a membership with the same race id (the previous one is no longer
// active).
type roster struct {
	// races maps each race id to the race's name and its player: the active
	// one, or else the last to hold it.
	races map[string]rosterRace
	// active are the races with an active player, in joining order.
	active []game.RaceSpec
}

type rosterRace struct {
	name, userID string
	active       bool
}

// name is the race's name (the id itself for a race with no membership,
// which cannot happen in a game the lobby started).
func (r roster) name(raceID string) string {
	if rr, ok := r.races[raceID]; ok {
		return rr.name
	}
	return raceID
}

// player is the user who plays (or last played) the race.
func (r roster) player(raceID string) string {
	if rr, ok := r.races[raceID]; ok {
		return rr.userID
	}
	return raceID
}

// loadRoster reads a game's roster.
func loadRoster(ctx context.Context, q *runtimestore.Queries, gameID string) (roster, error) {
	members, err := q.ListMembers(ctx, gameID)
	if err != nil {
		return roster{}, err
	}
	r := roster{races: make(map[string]rosterRace, len(members))}
	for _, m := range members { // oldest first: a later holder replaces an earlier one
		active := m.Status == "active"
		if prev, ok := r.races[m.RaceID]; ok && prev.active && !active {
			continue
		}
		r.races[m.RaceID] = rosterRace{name: m.RaceName, userID: m.UserID, active: active}
		if active {
			r.active = append(r.active, game.RaceSpec{ID: m.RaceID, Name: m.RaceName})
		}
	}
	return r, nil
}
