package lobby

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/outbox"
)

// command runs one status change (with its side effects) in a transaction.
// owner, when set, must own the game; admins pass "".
func (s *Service) command(ctx context.Context, gameID, owner string, actor Actor,
	fn func(ctx context.Context, tx pgx.Tx, q *lobbystore.Queries, g Game) (Game, error)) (Game, error) {
	var out Game
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		var g Game
		var err error
		if owner != "" {
			g, err = ownedGame(ctx, q, gameID, owner)
		} else {
			g, err = q.LockGame(ctx, gameID)
		}
		if err != nil {
			return translateMissing(err, gameID)
		}
		out, err = fn(ctx, tx, q, g)
		return err
	})
	return out, err
}

// CloseEnrollment moves an enrollment_open game with enough approved
// players to ready.
func (s *Service) CloseEnrollment(ctx context.Context, callerID, gameID string) (Game, error) {
	return s.command(ctx, gameID, callerID, Actor{"user", callerID}, func(ctx context.Context, tx pgx.Tx, q *lobbystore.Queries, g Game) (Game, error) {
		return s.closeEnrollmentTx(ctx, tx, g, Actor{"user", callerID}, "closed by the owner")
	})
}

func (s *Service) closeEnrollmentTx(ctx context.Context, tx pgx.Tx, g Game, actor Actor, reason string) (Game, error) {
	if g.Status == StatusEnrollmentOpen && g.ApprovedCount < g.MinPlayers {
		return Game{}, errs.E(errs.FailedPrecondition, "%d approved of the %d players needed", g.ApprovedCount, g.MinPlayers).
			WithDetail("approved_count", g.ApprovedCount).WithDetail("min_players", g.MinPlayers)
	}
	g, _, err := s.transition(ctx, tx, g.GameID, StatusReady, actor, reason)
	if err != nil {
		return Game{}, err
	}
	// Invites still open die with the enrollment.
	return g, s.expireInvitesTx(ctx, tx, g.GameID)
}

// Start asks the runtime to start a ready game (or a start_failed one, or
// one stuck in starting) and answers with the game in starting.
func (s *Service) Start(ctx context.Context, callerID, gameID string) (Game, error) {
	return s.command(ctx, gameID, callerID, Actor{"user", callerID}, func(ctx context.Context, tx pgx.Tx, q *lobbystore.Queries, g Game) (Game, error) {
		return s.startTx(ctx, tx, g, Actor{"user", callerID})
	})
}

// RetryStart is the admin's start, for any owner's game.
func (s *Service) RetryStart(ctx context.Context, adminID, gameID string) (Game, error) {
	return s.command(ctx, gameID, "", Actor{"admin", adminID}, func(ctx context.Context, tx pgx.Tx, q *lobbystore.Queries, g Game) (Game, error) {
		return s.startTx(ctx, tx, g, Actor{"admin", adminID})
	})
}

func (s *Service) startTx(ctx context.Context, tx pgx.Tx, g Game, actor Actor) (Game, error) {
	g, _, err := s.transition(ctx, tx, g.GameID, StatusStarting, actor, "start requested")
	if err != nil {
		return Game{}, err
	}
	if err := s.runtime.StartTx(ctx, tx, g.GameID); err != nil {
		return Game{}, err
	}
	return g, s.notifyMembersTx(ctx, tx, g, "lobby.game.starting", "starting:"+g.GameID+":"+g.UpdatedAt.String(), nil)
}

// OnRuntimeJobResult moves a starting game to running (success) or
// start_failed (failure), as the runtime reports.
func (s *Service) OnRuntimeJobResult(ctx context.Context, gameID string, success bool, reason string) (Game, error) {
	return s.command(ctx, gameID, "", Actor{"system", "runtime"}, func(ctx context.Context, tx pgx.Tx, q *lobbystore.Queries, g Game) (Game, error) {
		return s.runtimeResultTx(ctx, tx, g, success, reason)
	})
}

// OnRuntimeJobResultTx is OnRuntimeJobResult inside the runtime's own
// transaction (it records the engine and the game together).
func (s *Service) OnRuntimeJobResultTx(ctx context.Context, tx pgx.Tx, gameID string, success bool, reason string) (Game, error) {
	g, err := lobbystore.New(tx).LockGame(ctx, gameID)
	if err != nil {
		return Game{}, translateMissing(err, gameID)
	}
	return s.runtimeResultTx(ctx, tx, g, success, reason)
}

func (s *Service) runtimeResultTx(ctx context.Context, tx pgx.Tx, g Game, success bool, reason string) (Game, error) {
	to, kind := StatusRunning, "lobby.game.started"
	if !success {
		to, kind = StatusStartFailed, "lobby.game.start_failed"
	}
	g, _, err := s.transition(ctx, tx, g.GameID, to, Actor{"system", "runtime"}, reason, StatusStarting)
	if err != nil {
		return Game{}, err
	}
	if success {
		if err := outbox.Publish(ctx, tx, outbox.GameStarted{GameID: g.GameID, Players: int(g.ApprovedCount),
			StartedAt: g.UpdatedAt}); err != nil {
			return Game{}, err
		}
	}
	if !success {
		return g, s.notifyMembersTx(ctx, tx, g, kind, kind+":"+g.GameID+":"+g.UpdatedAt.String(), map[string]any{"reason": reason})
	}
	return g, s.notifyStartedTx(ctx, tx, g)
}

// notifyStartedTx tells each member that the game started, with their race
// and the first turn's time (the game.started mail needs both), and the
// owner when they do not play.
func (s *Service) notifyStartedTx(ctx context.Context, tx pgx.Tx, g Game) error {
	members, err := lobbystore.New(tx).ListActiveMembers(ctx, g.GameID)
	if err != nil {
		return err
	}
	next := ""
	if g.NextTurnAt != nil {
		next = g.NextTurnAt.UTC().Format(time.RFC3339)
	}
	ownerPlays := false
	for _, m := range members {
		ownerPlays = ownerPlays || m.UserID == g.OwnerUserID
		if err := s.notifyTx(ctx, tx, g, "lobby.game.started", "started:"+g.GameID, map[string]any{
			"race_name": m.RaceName, "turn_schedule": g.TurnSchedule, "next_turn_at": next,
		}, m.UserID); err != nil {
			return err
		}
	}
	if ownerPlays {
		return nil
	}
	// The owner who does not play is told too, without a race: their mail
	// says the game they run has started.
	return s.notifyTx(ctx, tx, g, "lobby.game.started", "started:"+g.GameID, map[string]any{
		"turn_schedule": g.TurnSchedule, "next_turn_at": next,
	}, g.OwnerUserID)
}

// Pause stops a running game's turns (owner or admin: owner "" means admin).
func (s *Service) Pause(ctx context.Context, owner string, actor Actor, gameID string) (Game, error) {
	return s.command(ctx, gameID, owner, actor, func(ctx context.Context, tx pgx.Tx, q *lobbystore.Queries, g Game) (Game, error) {
		g, _, err := s.transition(ctx, tx, g.GameID, StatusPaused, actor, "paused")
		if err != nil {
			return Game{}, err
		}
		return g, s.runtime.PauseTx(ctx, tx, g.GameID)
	})
}

// Resume restarts a paused game's turns.
func (s *Service) Resume(ctx context.Context, owner string, actor Actor, gameID string) (Game, error) {
	return s.command(ctx, gameID, owner, actor, func(ctx context.Context, tx pgx.Tx, q *lobbystore.Queries, g Game) (Game, error) {
		g, _, err := s.transition(ctx, tx, g.GameID, StatusRunning, actor, "resumed", StatusPaused)
		if err != nil {
			return Game{}, err
		}
		return g, s.runtime.ResumeTx(ctx, tx, g.GameID)
	})
}

// Cancel ends a game that has not finished: its engine is stopped (when it
// has one), every race name it reserved is released, nothing is left live
// in it (pending applications are rejected, open invites expire, active
// memberships end), and everyone with a stake in it is told.
func (s *Service) Cancel(ctx context.Context, owner string, actor Actor, gameID, reason string) (Game, error) {
	return s.command(ctx, gameID, owner, actor, func(ctx context.Context, tx pgx.Tx, q *lobbystore.Queries, g Game) (Game, error) {
		return s.cancelTx(ctx, tx, g, actor, reason, "")
	})
}

// cancelTx cancels g. lobby.game.cancelled goes to the owner, the members,
// the applicants still waiting and the invitees still invited, save quiet
// (the blocked owner of a cascade; "" tells everyone).
func (s *Service) cancelTx(ctx context.Context, tx pgx.Tx, g Game, actor Actor, reason, quiet string) (Game, error) {
	inFlight := g.Status == StatusStarting || g.Status == StatusRunning || g.Status == StatusPaused
	g, _, err := s.transition(ctx, tx, g.GameID, StatusCancelled, actor, reason)
	if err != nil {
		return Game{}, err
	}
	if inFlight {
		if err := s.runtime.StopTx(ctx, tx, g.GameID, "cancelled"); err != nil {
			return Game{}, err
		}
	}
	if err := s.names.ReleaseGame(ctx, tx, g.GameID); err != nil {
		return Game{}, err
	}
	told := []string{g.OwnerUserID}
	// Nothing may stay live in a dead game.
	q := lobbystore.New(tx)
	ended, err := q.EndActiveMemberships(ctx, g.GameID)
	if err != nil {
		return Game{}, err
	}
	for _, m := range ended {
		if err := membershipChanged(ctx, tx, g.GameID, m.UserID, m.RaceName, "active", "ended", "game cancelled"); err != nil {
			return Game{}, err
		}
		told = append(told, m.UserID)
	}
	rejected, err := q.RejectSubmittedApplications(ctx, g.GameID)
	if err != nil {
		return Game{}, err
	}
	for _, a := range rejected {
		told = append(told, a.UserID)
	}
	expired, err := q.ExpireGameInvites(ctx, g.GameID)
	if err != nil {
		return Game{}, err
	}
	for _, inv := range expired {
		told = append(told, inv.InviteeUserID)
	}
	if err := outbox.Publish(ctx, tx, outbox.GameFinished{GameID: g.GameID, FinalTurn: int(g.CurrentTurn),
		Outcome: "cancelled", WinnerUserIDs: []string{}, FinishedAt: g.UpdatedAt}); err != nil {
		return Game{}, err
	}
	seen := map[string]bool{quiet: true, "": true}
	users := make([]string, 0, len(told))
	for _, u := range told {
		if !seen[u] {
			seen[u] = true
			users = append(users, u)
		}
	}
	if len(users) == 0 {
		return g, nil
	}
	return g, s.notifyTx(ctx, tx, g, "lobby.game.cancelled", "cancelled:"+g.GameID, map[string]any{"reason": reason}, users...)
}

// FinishTx ends a running game inside the runtime's transaction: survivors'
// race names become pending registrations, and members are told.
func (s *Service) FinishTx(ctx context.Context, tx pgx.Tx, gameID string, survivorUserIDs []string) (Game, error) {
	g, _, err := s.transition(ctx, tx, gameID, StatusFinished, Actor{"system", "runtime"}, "the game ended")
	if err != nil {
		return Game{}, err
	}
	if err := s.names.MarkPending(ctx, tx, gameID, s.now(), survivorUserIDs); err != nil {
		return Game{}, err
	}
	return g, outbox.Publish(ctx, tx, outbox.GameFinished{GameID: gameID, FinalTurn: int(g.CurrentTurn),
		Outcome: "victory", WinnerUserIDs: survivorUserIDs, FinishedAt: g.UpdatedAt})
}

func translateMissing(err error, gameID string) error {
	if errs.Is(err, errs.NotFound) || isNoRows(err) {
		return ErrGameNotFound.WithDetail("game_id", gameID)
	}
	return err
}
