package runtime

import (
	"context"

	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

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
	for _, m := range members {
		r.add(m.RaceID, m.RaceName, m.UserID, m.Status)
	}
	return r, nil
}

// loadRosters reads the rosters of several games, by game id.
func loadRosters(ctx context.Context, q *runtimestore.Queries, gameIDs []string) (map[string]roster, error) {
	members, err := q.ListMembersOf(ctx, gameIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]roster, len(gameIDs))
	for _, m := range members {
		r, ok := out[m.GameID]
		if !ok {
			r = roster{races: map[string]rosterRace{}}
		}
		r.add(m.RaceID, m.RaceName, m.UserID, m.Status)
		out[m.GameID] = r
	}
	return out, nil
}

// add adds a membership; memberships come oldest first, so a later holder
// of a race replaces an earlier one (but not the active one).
func (r *roster) add(raceID, raceName, userID, status string) {
	active := status == "active"
	if prev, ok := r.races[raceID]; ok && prev.active && !active {
		return
	}
	r.races[raceID] = rosterRace{name: raceName, userID: userID, active: active}
	if active {
		r.active = append(r.active, game.RaceSpec{ID: raceID, Name: raceName})
	}
}
