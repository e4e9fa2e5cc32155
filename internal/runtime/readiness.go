package runtime

import (
	"context"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// KindReadinessChanged is the push event sent to a game's players when one
// of them stores orders: who has sent orders for the coming turn, and who
// is final, never the orders.
const KindReadinessChanged = "game.readiness.changed"

// Pusher publishes a live event to users' gateways (push only: no inbox, no
// mail). The composition root gives the push service.
type Pusher interface {
	PublishToUsers(userIDs []string, kind string, payload any)
}

// SetPusher sets where live, push-only events go (game.readiness.changed).
func (s *Service) SetPusher(p Pusher) { s.push = p }

// Readiness is who has sent orders for a game's coming turn.
type Readiness struct {
	// Turn is the coming turn (the one orders are taken for).
	Turn int `json:"turn"`
	// Races lists every active race by name.
	Races []RaceReadiness `json:"items"`
}

// RaceReadiness is one race's state for the coming turn.
type RaceReadiness struct {
	RaceName  string `json:"race_name"`
	Submitted bool   `json:"submitted"`
	Final     bool   `json:"final"`
}

// Readiness tells a game's player who has sent orders for the coming turn,
// and who is final.
//
// Errors: errs.NotFound for a game that was never started, or that userID
// does not play (the game's existence is not revealed to others).
func (s *Service) Readiness(ctx context.Context, gameID, userID string) (Readiness, error) {
	r, userIDs, err := s.readiness(ctx, gameID)
	if err != nil {
		return Readiness{}, err
	}
	for _, id := range userIDs {
		if id == userID {
			return r, nil
		}
	}
	return Readiness{}, errs.E(errs.NotFound, "no such game, or you do not play in it").WithDetail("game_id", gameID)
}

// readiness reads the coming turn's readiness and the active players' ids.
func (s *Service) readiness(ctx context.Context, gameID string) (Readiness, []string, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rec, err := s.cache.get(ctx, gameID)
	if postgres.IsNoRows(err) {
		return Readiness{}, nil, errs.E(errs.NotFound, "no such game, or it has not started").WithDetail("game_id", gameID)
	}
	if err != nil {
		return Readiness{}, nil, postgres.Translate(err)
	}
	turn := int(rec.CurrentTurn) + 1
	rows, err := runtimestore.New(s.db.Pool).ListReadiness(ctx, runtimestore.ListReadinessParams{GameID: gameID, Turn: int32(turn)})
	if err != nil {
		return Readiness{}, nil, postgres.Translate(err)
	}
	r := Readiness{Turn: turn, Races: make([]RaceReadiness, len(rows))}
	ids := make([]string, len(rows))
	for i, row := range rows {
		r.Races[i] = RaceReadiness{RaceName: row.RaceName, Submitted: row.Submitted, Final: row.Final}
		ids[i] = row.UserID
	}
	return r, ids, nil
}

// pushReadiness tells a game's players, live, that its readiness changed.
// It runs after the orders are committed; a failure only costs the live
// update (the page reads readiness anew on its next load).
func (s *Service) pushReadiness(ctx context.Context, gameID string) {
	if s.push == nil {
		return
	}
	r, ids, err := s.readiness(ctx, gameID)
	if err != nil {
		s.logger.WarnContext(ctx, "readiness not pushed", "game_id", gameID, "error", err)
		return
	}
	s.push.PublishToUsers(ids, KindReadinessChanged, struct {
		GameID string `json:"game_id"`
		Readiness
	}{gameID, r})
}
