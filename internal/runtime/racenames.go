package runtime

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// Race names belong to the platform's Race Name Directory as much as to the
// game: a c order's name is reserved for the race's player before the turn
// runs, and the engine hears why a name was refused so that the order fails
// with that reason. After the turn the memberships follow the engine.

// reserveRaceNamesTx reserves, in the turn's first transaction, the names
// the races' c orders ask for, one after the other as the engine will run
// them, so the last one the directory accepts is the one held. It returns
// the refusals for the engine and the races that asked, whose names the
// turn's commit settles.
func (s *Service) reserveRaceNamesTx(ctx context.Context, tx pgx.Tx, q *runtimestore.Queries, gameID, gameName string,
	orders map[string]string) (refused map[string]map[string]string, asked map[string]bool, err error) {
	var races roster
	for raceID, text := range orders {
		names := game.RequestedRaceNames(text)
		if len(names) == 0 {
			continue
		}
		if races.races == nil {
			if races, err = loadRoster(ctx, q, gameID); err != nil {
				return nil, nil, err
			}
		}
		rr, ok := races.races[raceID]
		if !ok || !rr.active {
			continue // a bot's race: there is nobody to hold the name
		}
		if asked == nil {
			asked, refused = map[string]bool{}, map[string]map[string]string{}
		}
		asked[raceID] = true
		for _, name := range names {
			why, err := s.lobby.ReserveRaceNameTx(ctx, tx, gameID, gameName, rr.userID, name)
			if err != nil {
				return nil, nil, fmt.Errorf("reserve race name %q: %w", name, err)
			}
			if why == "" {
				continue
			}
			if refused[raceID] == nil {
				refused[raceID] = map[string]string{}
			}
			refused[raceID][name] = why
		}
	}
	return refused, asked, nil
}

// settleRaceNamesTx makes the memberships (and the directory) follow the
// names the engine's reports give the active races, in the turn's commit:
// a race renamed by its c order, or one that asked and was refused, whose
// reservation goes back to the name it keeps.
func (s *Service) settleRaceNamesTx(ctx context.Context, tx pgx.Tx, gameID string, races *roster,
	reports map[string]game.Report, asked map[string]bool) error {
	for i, a := range races.active {
		rep, ok := reports[a.ID]
		if !ok || rep.Data == nil || (rep.Data.Race == a.Name && !asked[a.ID]) {
			continue
		}
		rr := races.races[a.ID]
		if err := s.lobby.SetRaceNameTx(ctx, tx, gameID, rr.userID, rep.Data.Race); err != nil {
			return fmt.Errorf("rename race %s: %w", a.ID, err)
		}
		rr.name = rep.Data.Race
		races.races[a.ID] = rr
		races.active[i].Name = rep.Data.Race
	}
	return nil
}
