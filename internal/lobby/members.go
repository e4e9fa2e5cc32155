package lobby

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Membership is a stored membership.
type Membership = lobbystore.Membership

// Members lists a game's memberships to anyone who may see the game.
func (s *Service) Members(ctx context.Context, callerID, gameID string) ([]Membership, error) {
	if _, err := s.GetGame(ctx, callerID, gameID); err != nil {
		return nil, err
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := lobbystore.New(s.db.Pool).ListMembers(ctx, gameID)
	return rows, postgres.Translate(err)
}

// Leave ends the caller's membership: the seat is freed while the game has
// not started, and the race name is released.
func (s *Service) Leave(ctx context.Context, userID, gameID string) (Membership, error) {
	var m Membership
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		g, err := q.LockGame(ctx, gameID)
		if err != nil {
			return translateMissing(err, gameID)
		}
		m, err = q.SetMembershipStatus(ctx, lobbystore.SetMembershipStatusParams{GameID: gameID, UserID: userID, ToStatus: "left"})
		if postgres.IsNoRows(err) {
			return errs.E(errs.FailedPrecondition, "you are not an active member of this game")
		}
		if err != nil {
			return err
		}
		if err := membershipChanged(ctx, tx, gameID, userID, m.RaceName, "active", "left", "left the game"); err != nil {
			return err
		}
		if g.Status == StatusEnrollmentOpen || g.Status == StatusReady {
			if err := q.FreeSeat(ctx, gameID); err != nil {
				return err
			}
		}
		return s.names.Release(ctx, tx, userID, gameID)
	})
	return m, err
}

// KindRaceRemoved tells a player their race was removed from a game after
// turns without orders (GalaxyNG's idle rule).
const KindRaceRemoved = "game.race.removed"

// RemoveRacesTx ends, in the turn's transaction, the memberships of the
// races the engine removed at turn for sending no orders: each becomes
// `removed`, its race name is released, and its player is told (inbox,
// push and mail). A race already not active is left alone.
func (s *Service) RemoveRacesTx(ctx context.Context, tx pgx.Tx, gameID string, userIDs []string, turn int) error {
	q := lobbystore.New(tx)
	g, err := q.GetGame(ctx, gameID)
	if err != nil {
		return translateMissing(err, gameID)
	}
	for _, id := range userIDs {
		m, ended, err := s.endMembershipTx(ctx, tx, gameID, id, "removed", "removed after turns without orders")
		if err != nil {
			return err
		}
		if !ended {
			continue
		}
		if err := s.notifyTx(ctx, tx, g, KindRaceRemoved, "removed:"+gameID, map[string]any{
			"race_name": m.RaceName, "turn": turn,
		}, id); err != nil {
			return err
		}
	}
	return nil
}

// endMembershipTx ends userID's active membership in a running game, in tx:
// it takes status to (with reason in the membership event) and releases the
// race name. ended is false when the membership was not active.
func (s *Service) endMembershipTx(ctx context.Context, tx pgx.Tx, gameID, userID, to, reason string) (m Membership, ended bool, err error) {
	m, err = lobbystore.New(tx).SetMembershipStatus(ctx, lobbystore.SetMembershipStatusParams{GameID: gameID, UserID: userID, ToStatus: to})
	if postgres.IsNoRows(err) {
		return m, false, nil
	}
	if err != nil {
		return m, false, err
	}
	if err := membershipChanged(ctx, tx, gameID, userID, m.RaceName, "active", to, reason); err != nil {
		return m, false, err
	}
	return m, true, s.names.Release(ctx, tx, userID, gameID)
}
