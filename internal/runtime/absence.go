package runtime

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// excusedOrders stand in for an absent player's orders: a comment, which
// changes nothing in the galaxy but tells the engine the race is not idle.
const excusedOrders = "; away: excused by the player (absence)\n"

// Absence is a race excused from sending orders.
type Absence struct {
	RaceName string
	// UntilTurn is the last turn the race is excused for.
	UntilTurn int
}

// SetAbsence excuses userID's race for the next turns turns of a running
// (or paused) game: through them it is not idle and gets no reminders. A
// new absence replaces the last; turns must be 1 to the game's
// settings.max_absence_turns (default 2).
//
// Errors: errs.InvalidArgument for turns out of range; errs.NotFound for a
// game userID does not play; errs.FailedPrecondition when the game is not
// running or paused.
func (s *Service) SetAbsence(ctx context.Context, gameID, userID string, turns int) (Absence, error) {
	var out Absence
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := runtimestore.New(tx)
		g, err := q.GetGame(ctx, gameID)
		if postgres.IsNoRows(err) {
			return errs.E(errs.NotFound, "no such game").WithDetail("game_id", gameID)
		}
		if err != nil {
			return err
		}
		maxTurns := lobby.ParseSettings(g.Settings).MaxAbsence()
		if turns < 1 || turns > maxTurns {
			return errs.E(errs.InvalidArgument, "turns must be between 1 and %d in this game", maxTurns).
				WithDetail("field", "turns").WithDetail("reason", "out_of_range")
		}
		if g.Status != lobby.StatusRunning && g.Status != lobby.StatusPaused {
			return errs.E(errs.FailedPrecondition, "the game is %s: an absence is for a running game", g.Status).
				WithDetail("status", g.Status)
		}
		row, err := q.SetAbsence(ctx, runtimestore.SetAbsenceParams{
			GameID: gameID, UserID: userID, AbsentUntilTurn: g.CurrentTurn + int32(turns),
		})
		if postgres.IsNoRows(err) {
			return errs.E(errs.NotFound, "no such game, or you do not play in it").WithDetail("game_id", gameID)
		}
		if err != nil {
			return err
		}
		out = Absence{RaceName: row.RaceName, UntilTurn: int(row.AbsentUntilTurn)}
		return outbox.Publish(ctx, tx, outbox.GameAbsenceSet{GameID: gameID, UserID: userID, RaceName: out.RaceName,
			AbsentUntilTurn: out.UntilTurn, SetAt: time.Now()})
	})
	return out, err
}
