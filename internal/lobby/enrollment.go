package lobby

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
)

// ExtendEnrollment moves an open game's enrollment deadline (the owner's
// answer to the sweeper's "short of players" notice); open invites follow
// the new deadline.
func (s *Service) ExtendEnrollment(ctx context.Context, ownerID, gameID string, endsAt time.Time) (Game, error) {
	if !endsAt.After(s.now()) {
		return Game{}, errs.E(errs.InvalidArgument, "enrollment_ends_at must be in the future").WithDetail("field", "enrollment_ends_at")
	}
	return s.command(ctx, gameID, ownerID, Actor{"user", ownerID}, func(ctx context.Context, tx pgx.Tx, q *lobbystore.Queries, g Game) (Game, error) {
		if g.Status != StatusEnrollmentOpen {
			return Game{}, errs.E(errs.FailedPrecondition, "the game is %s: enrollment is closed", g.Status).
				WithDetail("current_status", g.Status)
		}
		g, err := q.ExtendEnrollment(ctx, lobbystore.ExtendEnrollmentParams{GameID: gameID, EnrollmentEndsAt: endsAt})
		if err != nil {
			return Game{}, err
		}
		return g, q.ExtendOpenInvites(ctx, lobbystore.ExtendOpenInvitesParams{GameID: gameID, ExpiresAt: endsAt})
	})
}
