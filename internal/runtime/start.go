package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// StartArgs is the runtime.start job: bring up the game's engine.
type StartArgs struct {
	GameID string `json:"game_id"`
}

// Kind implements river.JobArgs.
func (StartArgs) Kind() string { return "runtime.start" }

type startWorker struct {
	river.WorkerDefaults[StartArgs]
	s *Service
}

func (s *Service) startOpts() *river.InsertOpts {
	return &river.InsertOpts{Queue: QueueStart, MaxAttempts: s.cfg.StartMaxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: liveStates}}
}

// Timeout covers a driver start (an image pull may be slow), the health
// wait and the init.
func (w *startWorker) Timeout(*river.Job[StartArgs]) time.Duration {
	return 5*time.Minute + w.s.cfg.HealthTimeout
}

// NextRetry implements river.Worker with the runtime's backoff.
func (w *startWorker) NextRetry(job *river.Job[StartArgs]) time.Time {
	return time.Now().Add(backoff.Delay(job.Attempt, w.s.cfg.RetryBaseDelay, w.s.cfg.RetryMaxDelay))
}

// Work runs one start attempt. A failure is retried until the attempts run
// out, or at once reported when retrying cannot help (a refused spec or
// init); then the record is failed and the lobby hears start_failed.
func (w *startWorker) Work(ctx context.Context, job *river.Job[StartArgs]) error {
	s := w.s
	id := job.Args.GameID
	err := s.start(ctx, id)
	if err == nil {
		return nil
	}
	permanent := errs.Is(err, errs.InvalidArgument) || errs.Is(err, errs.FailedPrecondition)
	if !permanent && job.Attempt < job.MaxAttempts {
		s.logger.WarnContext(ctx, "engine start failed; will retry", "game_id", id, "attempt", job.Attempt, "error", err)
		s.noteError(ctx, id, err)
		return err
	}
	reason := fmt.Sprintf("engine start failed after %d attempt(s): %v", job.Attempt, err)
	s.logger.ErrorContext(ctx, "engine start failed", "game_id", id, "attempt", job.Attempt, "error", err)
	ferr := s.db.InTx(context.WithoutCancel(ctx), func(ctx context.Context, tx pgx.Tx) error {
		if err := runtimestore.New(tx).SetRecordFailed(ctx, runtimestore.SetRecordFailedParams{GameID: id, LastError: reason}); err != nil {
			return err
		}
		_, err := s.lobby.OnRuntimeJobResultTx(ctx, tx, id, false, reason)
		if errs.Is(err, errs.FailedPrecondition) {
			return nil // the game moved on (cancelled): nobody waits for the result
		}
		return err
	})
	if ferr != nil {
		return fmt.Errorf("record start failure of %s: %w", id, ferr)
	}
	return river.JobCancel(err)
}

// noteError records the last error of a game's engine, best effort: it is
// for operators, and the job's own error is what drives the retry.
func (s *Service) noteError(ctx context.Context, gameID string, err error) {
	_ = s.db.InTx(context.WithoutCancel(ctx), func(ctx context.Context, tx pgx.Tx) error {
		return runtimestore.New(tx).SetRecordError(ctx, runtimestore.SetRecordErrorParams{GameID: gameID, LastError: err.Error()})
	})
}

// start brings up one game's engine and commits turn 0 (or the restored
// turn). Each step is safe to repeat: the driver adopts an engine already
// running with the record's token, and the final commit happens only while
// the game is still starting.
func (s *Service) start(ctx context.Context, gameID string) error {
	q := runtimestore.New(s.db.Pool)
	g, err := q.GetGame(ctx, gameID)
	if err != nil {
		return postgres.Translate(err)
	}
	rec, err := q.GetRecord(ctx, gameID)
	if err != nil {
		return postgres.Translate(err)
	}
	if g.Status != lobby.StatusStarting {
		s.logger.InfoContext(ctx, "start skipped: game is no longer starting", "game_id", gameID, "status", g.Status)
		return nil
	}

	eng, err := s.drv.Start(ctx, driver.Spec{GameID: gameID, Token: rec.EngineToken})
	if err != nil {
		return err
	}
	if err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		return runtimestore.New(tx).SetRecordEngine(ctx, runtimestore.SetRecordEngineParams{
			GameID: gameID, Driver: s.drv.Kind(), ContainerID: eng.ID, Endpoint: eng.Endpoint,
		})
	}); err != nil {
		return err
	}
	if err := driver.WaitHealthy(ctx, eng.Endpoint, s.cfg.HealthTimeout); err != nil {
		return err
	}
	client, err := engine.NewClient(eng.Endpoint, rec.EngineToken)
	if err != nil {
		return errs.Wrap(err, errs.Internal, "engine client")
	}

	names, races, err := raceNames(ctx, q, gameID)
	if err != nil {
		return postgres.Translate(err)
	}
	req := engine.InitRequest{GameID: gameID, Seed: g.Seed, Races: races}
	if len(g.Settings) > 0 {
		if err := json.Unmarshal(g.Settings, &req.Settings); err != nil {
			return errs.Wrap(err, errs.InvalidArgument, "game settings are invalid")
		}
	}
	snap, err := q.LatestSnapshot(ctx, gameID)
	hasSnap := err == nil
	if err != nil && !postgres.IsNoRows(err) {
		return postgres.Translate(err)
	}
	if hasSnap {
		// A replacement engine continues from the last stored turn.
		req.Snapshot = snap.Snapshot
	}
	resp, err := client.Init(ctx, req)
	turn := 0
	switch {
	case err == nil:
		turn = resp.Turn
	case errs.Is(err, errs.Conflict):
		cur, ok := engine.ConflictTurn(err)
		if hasSnap && ok && cur == int(snap.Turn) {
			// The engine kept the very state stored last: nothing to do.
			turn, resp = cur, nil
			break
		}
		// The engine holds a state the database does not know (an init
		// whose commit was lost): drop it; the next attempt starts clean,
		// and the seed regenerates the same galaxy.
		if rerr := s.drv.Remove(ctx, gameID); rerr != nil {
			return errors.Join(err, rerr)
		}
		return errs.Wrap(err, errs.Unavailable, "engine held an unknown state; removed it")
	default:
		return err
	}

	return s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := runtimestore.New(tx)
		g, err := q.LockGame(ctx, gameID)
		if err != nil {
			return err
		}
		if g.Status != lobby.StatusStarting {
			// Cancelled while we started: take the engine down again.
			return s.queueStopTx(ctx, tx, gameID, "no longer starting", true)
		}
		if resp != nil {
			if err := storeTurnData(ctx, q, gameID, turn, resp.Snapshot, resp.Reports, names); err != nil {
				return err
			}
		}
		if err := q.SetRecordRunning(ctx, runtimestore.SetRecordRunningParams{GameID: gameID, CurrentTurn: int32(turn)}); err != nil {
			return err
		}
		if err := s.scheduleNextTx(ctx, tx, gameID, g.TurnSchedule, turn); err != nil {
			return err
		}
		_, err = s.lobby.OnRuntimeJobResultTx(ctx, tx, gameID, true, fmt.Sprintf("engine up at turn %d", turn))
		return err
	})
}
