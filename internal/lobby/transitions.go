package lobby

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// transitions is the state machine: for each target status, the statuses a
// game may move to it from. starting → starting is legal on purpose: a
// start re-issued on a stuck game must be accepted (seed 003, "Stuck
// starting Recovery").
var transitions = map[string][]string{
	StatusReady:       {StatusEnrollmentOpen},
	StatusStarting:    {StatusReady, StatusStartFailed, StatusStarting},
	StatusRunning:     {StatusStarting, StatusPaused},
	StatusPaused:      {StatusRunning},
	StatusStartFailed: {StatusStarting},
	StatusFinished:    {StatusRunning, StatusPaused},
	StatusCancelled:   {StatusEnrollmentOpen, StatusReady, StatusStarting, StatusRunning, StatusPaused, StatusStartFailed},
}

// CanTransition reports whether the state machine allows from → to.
func CanTransition(from, to string) bool { return slices.Contains(transitions[to], from) }

// ErrGameNotFound is returned for an unknown game (or one the caller may not
// see).
var ErrGameNotFound = errs.E(errs.NotFound, "no such game")

// transition moves a game to `to` if, and only if, its current status
// allows it (compare-and-set), and records the change. When `from` is given
// it narrows the allowed sources further (close-enrollment accepts only
// enrollment_open, resume only paused ...).
func (s *Service) transition(ctx context.Context, tx pgx.Tx, gameID, to string, actor Actor, reason string, from ...string) (Game, string, error) {
	allowed := transitions[to]
	if len(from) > 0 {
		allowed = from
	}
	q := lobbystore.New(tx)
	// Read the current status first, under a lock, so the history names it.
	cur, err := q.LockGame(ctx, gameID)
	if postgres.IsNoRows(err) {
		return Game{}, "", ErrGameNotFound.WithDetail("game_id", gameID)
	}
	if err != nil {
		return Game{}, "", err
	}
	g, err := q.TransitionGame(ctx, lobbystore.TransitionGameParams{GameID: gameID, ToStatus: to, FromStatuses: allowed})
	if postgres.IsNoRows(err) {
		return Game{}, "", errs.E(errs.FailedPrecondition, "the game is %s: it cannot become %s", cur.Status, to).
			WithDetail("current_status", cur.Status).WithDetail("game_id", gameID)
	}
	if err != nil {
		return Game{}, "", err
	}
	prev := cur.Status
	if err := q.InsertGameEvent(ctx, lobbystore.InsertGameEventParams{
		GameID: gameID, FromStatus: &prev, ToStatus: to, ActorKind: actor.Kind, ActorID: actor.ID, Reason: reason,
	}); err != nil {
		return Game{}, "", fmt.Errorf("record transition: %w", err)
	}
	if err := outbox.Publish(ctx, tx, outbox.GameStatusChanged{GameID: gameID, From: prev, To: to,
		Trigger: actor.Kind + ": " + reason, ChangedAt: g.UpdatedAt}); err != nil {
		return Game{}, "", err
	}
	return g, prev, nil
}
