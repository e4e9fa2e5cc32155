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

// Timeout covers a driver start, the health wait and the init.
func (w *startWorker) Timeout(*river.Job[StartArgs]) time.Duration { return MaxJobTimeout }

// NextRetry implements river.Worker with the runtime's backoff.
func (w *startWorker) NextRetry(job *river.Job[StartArgs]) time.Time {
	return time.Now().Add(backoff.Delay(job.Attempt, w.s.cfg.RetryBaseDelay, w.s.cfg.RetryMaxDelay))
}

// Work runs one start attempt; see settleBringUp.
func (w *startWorker) Work(ctx context.Context, job *river.Job[StartArgs]) error {
	return w.s.settleBringUp(ctx, job.Args.GameID, job.Attempt, job.MaxAttempts, false)
}

// settleBringUp runs one attempt of a start or replacement and decides what
// a failure means: retried until the attempts run out, or given up at once
// when retrying cannot help (a refused spec or init). Giving up fails the
// record; a start also tells the lobby (start_failed), while a replaced
// game stays running and the reconciler tries again on a later pass.
func (s *Service) settleBringUp(ctx context.Context, id string, attempt, maxAttempts int, replace bool) error {
	what := "start"
	if replace {
		what = "replacement"
	}
	err := s.bringUp(ctx, id, replace)
	if err == nil {
		return nil
	}
	permanent := errs.Is(err, errs.InvalidArgument) || errs.Is(err, errs.FailedPrecondition)
	if !permanent && attempt < maxAttempts {
		s.logger.WarnContext(ctx, "engine "+what+" failed; will retry", "game_id", id, "attempt", attempt, "error", err)
		s.noteError(ctx, id, err)
		return err
	}
	reason := fmt.Sprintf("engine %s failed after %d attempt(s): %v", what, attempt, err)
	s.logger.ErrorContext(ctx, "engine "+what+" failed", "game_id", id, "attempt", attempt, "error", err)
	s.metrics.startFailed(ctx, what)
	ferr := s.recordTx(context.WithoutCancel(ctx), id, func(ctx context.Context, tx pgx.Tx) error {
		if err := runtimestore.New(tx).SetRecordFailed(ctx, runtimestore.SetRecordFailedParams{GameID: id, LastError: reason}); err != nil {
			return err
		}
		if replace {
			return nil
		}
		_, err := s.lobby.OnRuntimeJobResultTx(ctx, tx, id, false, reason)
		if errs.Is(err, errs.FailedPrecondition) {
			return nil // the game moved on (cancelled): nobody waits for the result
		}
		return err
	})
	if ferr != nil {
		return fmt.Errorf("record %s failure of %s: %w", what, id, ferr)
	}
	return river.JobCancel(err)
}

// noteError records the last error of a game's engine, best effort: it is
// for operators, and the job's own error is what drives the retry.
func (s *Service) noteError(ctx context.Context, gameID string, err error) {
	_ = s.recordTx(context.WithoutCancel(ctx), gameID, func(ctx context.Context, tx pgx.Tx) error {
		return runtimestore.New(tx).SetRecordError(ctx, runtimestore.SetRecordErrorParams{GameID: gameID, LastError: err.Error()})
	})
}

// bringUp brings up a game's engine: for a start (replace false) the
// engine of a starting game, committing turn 0; for a replacement the new
// engine of a running or paused game, restored from its last snapshot. Each
// step is safe to repeat: the driver adopts an engine already running with
// the record's token, and the final commit happens only while the game and
// the record are still in the state this step expects.
func (s *Service) bringUp(ctx context.Context, gameID string, replace bool) error {
	began := s.now()
	q := runtimestore.New(s.db.Pool)
	g, err := q.GetGame(ctx, gameID)
	if err != nil {
		return postgres.Translate(err)
	}
	rec, err := q.GetRecord(ctx, gameID)
	if err != nil {
		return postgres.Translate(err)
	}
	if why := bringUpBlocked(g.Status, rec.Status, replace); why != "" {
		s.logger.InfoContext(ctx, "engine bring-up skipped", "game_id", gameID, "replace", replace, "why", why)
		return nil
	}
	if replace {
		// The old engine may still run (unhealthy, or with a token the
		// backend does not know): stop it so Start makes a new one over the
		// same state.
		if err := s.drv.Stop(ctx, gameID); err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
	}

	eng, err := s.drv.Start(ctx, driver.Spec{GameID: gameID, Token: rec.EngineToken})
	if err != nil {
		return err
	}
	if err := s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) error {
		return runtimestore.New(tx).SetRecordEngine(ctx, runtimestore.SetRecordEngineParams{
			GameID: gameID, Driver: s.drv.Kind(), ContainerID: eng.ID, Endpoint: eng.Endpoint,
		})
	}); err != nil {
		return err
	}
	if err := driver.WaitHealthy(ctx, eng.Endpoint, s.cfg.HealthTimeout); err != nil {
		return err
	}
	turn, data, names, err := s.initEngine(ctx, q, g, eng.Endpoint, rec.EngineToken)
	if err != nil {
		return err
	}

	err = s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) error {
		q := runtimestore.New(tx)
		g, rec, err := lockGameAndRecord(ctx, q, gameID)
		if err != nil {
			return err
		}
		if !gameWantsEngine(g.Status, replace) {
			// Cancelled or finished while we started: take the engine down.
			return s.queueStopTx(ctx, tx, gameID, "the game is "+g.Status, true)
		}
		if replace && rec.Status != StatusStarting {
			return nil // someone else settled the engine meanwhile
		}
		if data != nil {
			var rows turnRows
			if err := rows.addData(gameID, turn, data.Snapshot, data.Reports, names); err != nil {
				return err
			}
			if err := rows.write(ctx, q); err != nil {
				return err
			}
		}
		if err := q.SetRecordRunning(ctx, runtimestore.SetRecordRunningParams{GameID: gameID, CurrentTurn: int32(turn)}); err != nil {
			return err
		}
		if replace {
			if g.Status != lobby.StatusRunning || rec.Paused {
				return nil
			}
			return s.ensureTurnScheduledTx(ctx, tx, gameID, g.TurnSchedule, g.NextTurnAt, turn)
		}
		if _, err := s.scheduleNextTx(ctx, tx, gameID, g.TurnSchedule, lobby.ParseSettings(g.Settings), turn, false); err != nil {
			return err
		}
		_, err = s.lobby.OnRuntimeJobResultTx(ctx, tx, gameID, true, fmt.Sprintf("engine up at turn %d", turn))
		return err
	})
	if err == nil {
		kind := "start"
		if replace {
			kind = "replacement"
		}
		s.metrics.startDone(ctx, kind, s.now().Sub(began))
	}
	return err
}

// bringUpBlocked says why a bring-up must not go on with the game and its
// record in these states, or "" when it may.
func bringUpBlocked(gameStatus, recordStatus string, replace bool) string {
	switch {
	case !gameWantsEngine(gameStatus, replace):
		return "the game is " + gameStatus
	case replace && recordStatus != StatusStarting:
		return "the engine is " + recordStatus
	}
	return ""
}

// gameWantsEngine reports whether a game in this status still wants the
// engine being brought up: a start is for a starting game, a replacement
// for a running or paused one.
func gameWantsEngine(gameStatus string, replace bool) bool {
	if replace {
		return gameStatus == lobby.StatusRunning || gameStatus == lobby.StatusPaused
	}
	return gameStatus == lobby.StatusStarting
}

// initEngine gives a healthy engine its game: the last stored snapshot when
// there is one (a replacement continues from the last stored turn), the
// seed and races otherwise. It returns the engine's turn, and the turn's
// data to store when the engine made a new game (nil when it restored a
// stored turn or already held it).
func (s *Service) initEngine(ctx context.Context, q *runtimestore.Queries, g runtimestore.GetGameRow,
	endpoint, token string) (int, *engine.InitResponse, roster, error) {
	client, err := engine.NewClient(endpoint, token)
	if err != nil {
		return 0, nil, roster{}, errs.Wrap(err, errs.Internal, "engine client")
	}
	names, err := loadRoster(ctx, q, g.GameID)
	if err != nil {
		return 0, nil, roster{}, postgres.Translate(err)
	}
	req := engine.InitRequest{GameID: g.GameID, Seed: g.Seed, Races: names.active}
	if len(g.Settings) > 0 {
		var st lobby.Settings
		if err := json.Unmarshal(g.Settings, &st); err != nil {
			return 0, nil, roster{}, errs.Wrap(err, errs.InvalidArgument, "game settings are invalid")
		}
		req.Settings = st.EngineSettings()
	}
	snap, err := q.LatestSnapshot(ctx, g.GameID)
	hasSnap := err == nil
	if err != nil && !postgres.IsNoRows(err) {
		return 0, nil, roster{}, postgres.Translate(err)
	}
	if hasSnap {
		req.Snapshot = snap.Snapshot
	}
	resp, err := client.Init(ctx, req)
	switch {
	case err == nil && hasSnap:
		return resp.Turn, nil, names, nil
	case err == nil:
		return resp.Turn, resp, names, nil
	case errs.Is(err, errs.Conflict):
		if cur, ok := engine.ConflictTurn(err); ok && hasSnap && cur == int(snap.Turn) {
			// The engine kept the very state stored last: nothing to do.
			return cur, nil, names, nil
		}
		// The engine holds a state the database does not know (an init or
		// turn whose commit was lost): drop it; the next attempt starts
		// clean from the database, and the seed regenerates the same galaxy.
		if rerr := s.drv.Remove(ctx, g.GameID); rerr != nil {
			return 0, nil, roster{}, errors.Join(err, rerr)
		}
		return 0, nil, roster{}, errs.Wrap(err, errs.Unavailable, "engine held an unknown state; removed it")
	default:
		return 0, nil, roster{}, err
	}
}
