package runtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// StartTx implements lobby.Runtime: in the lobby's transaction it (re)sets
// the game's record to pending with a fresh engine token and queues a
// runtime.start job, unique per game while one is live (a second start
// request joins the live job, which then uses the new token).
func (s *Service) StartTx(ctx context.Context, tx pgx.Tx, gameID string) error {
	token, err := newToken()
	if err != nil {
		return err
	}
	if _, err := runtimestore.New(tx).UpsertRecordPending(ctx, runtimestore.UpsertRecordPendingParams{
		GameID: gameID, EngineToken: token,
	}); err != nil {
		return fmt.Errorf("record start of %s: %w", gameID, err)
	}
	_, err = s.river.InsertTx(ctx, tx, StartArgs{GameID: gameID}, s.startOpts())
	if err != nil {
		return fmt.Errorf("queue start of %s: %w", gameID, err)
	}
	return nil
}

// StopTx implements lobby.Runtime: it marks the record stopping and queues
// a runtime.stop job. A cancelled game never plays again, so its engine and
// engine state are removed; other reasons keep the state for a restart.
func (s *Service) StopTx(ctx context.Context, tx pgx.Tx, gameID, reason string) error {
	remove := reason == "cancelled" || reason == "finished"
	return s.queueStopTx(ctx, tx, gameID, reason, remove)
}

func (s *Service) queueStopTx(ctx context.Context, tx pgx.Tx, gameID, reason string, remove bool) error {
	if err := runtimestore.New(tx).SetRecordStatus(ctx, runtimestore.SetRecordStatusParams{
		GameID: gameID, Status: StatusStopping,
	}); err != nil {
		return fmt.Errorf("record stop of %s: %w", gameID, err)
	}
	_, err := s.river.InsertTx(ctx, tx, StopArgs{GameID: gameID, Reason: reason, Remove: remove}, &river.InsertOpts{
		Queue: QueueStart, MaxAttempts: s.cfg.StartMaxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: liveStates},
	})
	if err != nil {
		return fmt.Errorf("queue stop of %s: %w", gameID, err)
	}
	return nil
}

// PauseTx implements lobby.Runtime: scheduled turns stop (a tick that fires
// while paused does nothing) and the game shows no next turn time. The
// engine keeps running, so orders can still be checked.
func (s *Service) PauseTx(ctx context.Context, tx pgx.Tx, gameID string) error {
	q := runtimestore.New(tx)
	if err := q.SetPaused(ctx, runtimestore.SetPausedParams{GameID: gameID, Paused: true}); err != nil {
		return fmt.Errorf("pause %s: %w", gameID, err)
	}
	return q.SetGameNextTurnAt(ctx, runtimestore.SetGameNextTurnAtParams{GameID: gameID})
}

// ResumeTx implements lobby.Runtime: scheduling resumes with a turn job at
// the schedule's next tick.
func (s *Service) ResumeTx(ctx context.Context, tx pgx.Tx, gameID string) error {
	q := runtimestore.New(tx)
	if err := q.SetPaused(ctx, runtimestore.SetPausedParams{GameID: gameID, Paused: false}); err != nil {
		return fmt.Errorf("resume %s: %w", gameID, err)
	}
	rec, err := q.GetRecord(ctx, gameID)
	if postgres.IsNoRows(err) {
		return nil // never started: nothing to schedule
	}
	if err != nil {
		return err
	}
	g, err := q.GetGame(ctx, gameID)
	if err != nil {
		return err
	}
	_, err = s.scheduleNextTx(ctx, tx, gameID, g.TurnSchedule, lobby.ParseSettings(g.Settings), int(rec.CurrentTurn), false)
	return err
}

// scheduleNextTx sets games.next_turn_at to when turn current+1 really runs
// (nextTurnAt: after a forced or early turn, skip, the tick that turn took is
// passed over) and queues its scheduled job for exactly then, so the time
// players are told and the time the turn runs are one value. It returns it.
// (A batch of committed turns does the same for many games at once:
// scheduleNextTurnsTx.)
func (s *Service) scheduleNextTx(ctx context.Context, tx pgx.Tx, gameID, schedule string, settings lobby.Settings,
	current int, skip bool) (time.Time, error) {
	next, err := nextTurnAt(schedule, s.now(), skip)
	if err != nil {
		return time.Time{}, err
	}
	if err := runtimestore.New(tx).SetGameTurn(ctx, runtimestore.SetGameTurnParams{
		GameID: gameID, CurrentTurn: int32(current), NextTurnAt: &next,
	}); err != nil {
		return time.Time{}, err
	}
	if _, err := s.river.InsertManyTx(ctx, tx, s.turnJobs(gameID, settings, current+1, next)); err != nil {
		return time.Time{}, fmt.Errorf("schedule turn %d of %s: %w", current+1, gameID, err)
	}
	return next, nil
}

// turnJobs are the jobs that schedule a game's turn for at: the turn's
// own, and its reminder when the game's settings ask for one and it is still
// ahead. A job already queued for the turn makes its insert a no-op.
func (s *Service) turnJobs(gameID string, settings lobby.Settings, turn int, at time.Time) []river.InsertManyParams {
	opts := s.turnOpts()
	opts.ScheduledAt = at
	jobs := []river.InsertManyParams{{Args: TurnArgs{GameID: gameID, Turn: turn, Trigger: TriggerSchedule}, InsertOpts: opts}}
	if r, ok := s.reminderJob(gameID, settings, turn, at); ok {
		jobs = append(jobs, r)
	}
	return jobs
}

// ensureTurnScheduledTx makes sure a game whose engine was replaced has its
// next turn coming: at the stored next_turn_at, or now when that tick passed
// while the engine was away (the missed turn runs late rather than never).
// A scheduled job still live for the turn makes the insert a no-op, and one
// backing off after failures against the old engine runs at once.
func (s *Service) ensureTurnScheduledTx(ctx context.Context, tx pgx.Tx, gameID, schedule string, nextAt *time.Time, current int) error {
	at := s.now()
	switch {
	case nextAt == nil:
		next, err := nextTick(schedule, at)
		if err != nil {
			return err
		}
		at = next
	case nextAt.After(at):
		at = *nextAt
	}
	opts := s.turnOpts()
	opts.ScheduledAt = at
	res, err := s.river.InsertTx(ctx, tx, TurnArgs{GameID: gameID, Turn: current + 1, Trigger: TriggerSchedule}, opts)
	if err != nil {
		return fmt.Errorf("schedule turn %d of %s: %w", current+1, gameID, err)
	}
	if res.UniqueSkippedAsDuplicate {
		if res.Job.State == rivertype.JobStateRetryable {
			// It failed against the lost engine and waits out its backoff
			// (up to minutes): the new engine is here, run it now.
			if _, err := s.river.JobRetryTx(ctx, tx, res.Job.ID); err != nil {
				return fmt.Errorf("retry turn %d of %s: %w", current+1, gameID, err)
			}
		}
		return nil
	}
	return runtimestore.New(tx).SetGameNextTurnAt(ctx, runtimestore.SetGameNextTurnAtParams{GameID: gameID, NextTurnAt: &at})
}

// newToken returns a per-game engine token: 256 random bits.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("engine token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
