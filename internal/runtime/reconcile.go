package runtime

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// ReconcileArgs is the runtime.reconcile job: one pass of the reconciler.
// River's leader inserts it periodically, so one replica at a time
// reconciles.
type ReconcileArgs struct{}

// Kind implements river.JobArgs.
func (ReconcileArgs) Kind() string { return "runtime.reconcile" }

type reconcileWorker struct {
	river.WorkerDefaults[ReconcileArgs]
	s *Service
}

// Timeout bounds one pass: a listing, the probes, and the queued repairs.
func (w *reconcileWorker) Timeout(*river.Job[ReconcileArgs]) time.Duration { return MaxJobTimeout }

// Work runs one pass. A failed pass is not retried: the next period's is.
func (w *reconcileWorker) Work(ctx context.Context, _ *river.Job[ReconcileArgs]) error {
	if _, err := w.s.Reconcile(ctx); err != nil {
		return river.JobCancel(err)
	}
	return nil
}

// registerReconciler adds the periodic pass, run once at start too (after
// a restart of galaxy dev every in-process engine is gone and must come
// back). A pass still live makes the next insert a no-op.
func (s *Service) registerReconciler(c *river.Client[pgx.Tx]) {
	c.PeriodicJobs().Add(river.NewPeriodicJob(river.PeriodicInterval(s.cfg.ReconcileInterval),
		func() (river.JobArgs, *river.InsertOpts) {
			return ReconcileArgs{}, &river.InsertOpts{Queue: QueueStart, MaxAttempts: 1,
				UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: liveStates}}
		},
		&river.PeriodicJobOpts{RunOnStart: true, ID: "runtime.reconcile"}))
}

// ReconcileReport lists, by game id, what one pass found and did.
type ReconcileReport struct {
	// Engines and Records are how many the driver listed and how many
	// records may hold an engine.
	Engines, Records int
	// Healthy and Unhealthy are the running engines that answered their
	// health probe or did not.
	Healthy, Unhealthy []string
	// Replaced are running or paused games given a new engine from their
	// last snapshot: the engine vanished, exited, is not the recorded one,
	// failed BACKEND_RUNTIME_HEALTH_FAILURES probes in a row, or an earlier
	// replacement failed.
	Replaced []string
	// Adopted are engines of running or paused games that had no live
	// record: recorded, then replaced (the backend never learnt their token).
	Adopted []string
	// Removed are engines, with their state, of games that are over, unknown
	// or not started by this backend.
	Removed []string
	// Requeued are starts and replacements whose job was asked for again
	// (a no-op while the job lives).
	Requeued []string
	// Stopped are engines that should not run: their game is over (a stop
	// and removal is queued) or their record says stopped.
	Stopped []string
	// MarkedRemoved are records whose engine is gone and not needed.
	MarkedRemoved []string
	// Errors are the repairs that failed, by game id; the next pass tries
	// again.
	Errors map[string]error
}

// verdict is what the reconciler does about one game.
type verdict int

const (
	keep           verdict = iota // nothing to do
	probe                         // a running engine of a live game: check its health
	replace                       // give the game a new engine from its last snapshot
	requeueStart                  // ask again for the start job
	requeueReplace                // ask again for the replacement job
	stopAndRemove                 // queue the stop and removal of the engine (record → stopping)
	removeEngine                  // remove the engine now, leaving the record as it is
	stopEngine                    // stop the engine now (its record says stopped)
	markRemoved                   // the record's engine is gone and not needed
	adopt                         // record an unknown engine of a live game, then replace it
)

// judgeRecord decides what to do about a game that has a live record, from
// the record, its game's status and the engine the driver listed (nil when
// it has none). reason says why, for logs and the record's last_error.
func judgeRecord(status, gameStatus, containerID string, e *driver.Engine) (v verdict, reason string) {
	live := gameStatus == lobby.StatusRunning || gameStatus == lobby.StatusPaused
	switch status {
	case StatusPending, StatusStarting:
		switch {
		case gameStatus == lobby.StatusStarting:
			return requeueStart, "start in progress"
		case live:
			return requeueReplace, "replacement in progress"
		case e != nil:
			return stopAndRemove, "the game is " + gameStatus
		}
		return markRemoved, "the game is " + gameStatus
	case StatusRunning:
		switch {
		case !live:
			return stopAndRemove, "the game is " + gameStatus
		case e == nil:
			return replace, "the engine vanished"
		case e.Status != driver.StatusRunning && e.FinishedAt.IsZero():
			return replace, "the engine is " + e.State // a listing carries no exit code
		case e.Status != driver.StatusRunning:
			return replace, fmt.Sprintf("the engine is %s (exit code %d)", e.State, e.ExitCode)
		case e.ID != containerID:
			return replace, "the engine is not the recorded one"
		}
		return probe, ""
	case StatusFailed:
		switch {
		case live:
			return replace, "an earlier replacement failed"
		case e != nil:
			return removeEngine, "the start failed"
		}
	case StatusStopped:
		switch {
		case e == nil:
			return markRemoved, "the engine is gone"
		case e.Status == driver.StatusRunning:
			return stopEngine, "the engine runs but its game stopped"
		}
	}
	return keep, ""
}

// judgeUnrecorded decides what to do about an engine with no live record,
// from its game's status ("" when no such game exists).
func judgeUnrecorded(gameStatus string) (verdict, string) {
	switch gameStatus {
	case lobby.StatusRunning, lobby.StatusPaused:
		return adopt, "an engine without a record"
	case lobby.StatusStarting:
		// A start is about to record it (a retried start after the record
		// was removed): the start job adopts or replaces it.
		return keep, ""
	case "":
		return removeEngine, "an engine of an unknown game"
	}
	return removeEngine, "an engine of a game that is " + gameStatus
}

// Reconcile runs one reconciler pass: it lists the engines the driver
// manages, compares them with runtime_records, probes the health of the
// running ones and repairs what differs (see ReconcileReport and
// docs/operations/runtime.md). Repairs are queued as jobs or done in small
// transactions, each on its own, so one failure does not stop the others.
// Errors: only when the engines or the records cannot be listed.
func (s *Service) Reconcile(ctx context.Context) (ReconcileReport, error) {
	rep := ReconcileReport{Errors: map[string]error{}}
	q := runtimestore.New(s.db.Pool)
	// Engines first: an engine listed now was created by a start whose
	// record is already committed, so it cannot look unrecorded below. A
	// record changed after the listing began (an engine replaced meanwhile)
	// is compared with a stale list: it waits for the next pass.
	listedAt, err := q.DatabaseNow(ctx)
	if err != nil {
		return rep, postgres.Translate(err)
	}
	engines, err := s.drv.List(ctx)
	if err != nil {
		return rep, err
	}
	recs, err := q.ListLiveRecords(ctx)
	if err != nil {
		return rep, postgres.Translate(err)
	}
	rep.Engines, rep.Records = len(engines), len(recs)
	byGame := make(map[string]*driver.Engine, len(engines))
	for i := range engines {
		byGame[engines[i].GameID] = &engines[i]
	}

	var toProbe []driver.Engine
	for _, r := range recs {
		e := byGame[r.GameID]
		delete(byGame, r.GameID)
		if !r.UpdatedAt.Before(listedAt) {
			continue
		}
		v, reason := judgeRecord(r.Status, r.GameStatus, r.ContainerID, e)
		if v == probe {
			toProbe = append(toProbe, *e)
			continue
		}
		s.act(ctx, &rep, r.GameID, v, reason, e, 0)
	}

	// Engines left have no live record.
	if len(byGame) > 0 {
		ids := make([]string, 0, len(byGame))
		for id := range byGame {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		rows, err := q.ListGameStatuses(ctx, ids)
		if err != nil {
			return rep, postgres.Translate(err)
		}
		games := make(map[string]runtimestore.ListGameStatusesRow, len(rows))
		for _, g := range rows {
			games[g.GameID] = g
		}
		for _, id := range ids {
			v, reason := judgeUnrecorded(games[id].Status)
			s.act(ctx, &rep, id, v, reason, byGame[id], int(games[id].CurrentTurn))
		}
	}

	s.checkHealth(ctx, &rep, toProbe)
	for _, n := range []struct {
		action string
		ids    []string
	}{{"replaced", rep.Replaced}, {"adopted", rep.Adopted}, {"removed", rep.Removed}, {"requeued", rep.Requeued},
		{"stopped", rep.Stopped}, {"marked_removed", rep.MarkedRemoved}, {"unhealthy", rep.Unhealthy}} {
		s.metrics.reconcileAction(ctx, n.action, len(n.ids))
	}
	if len(rep.Replaced)+len(rep.Adopted)+len(rep.Removed)+len(rep.Stopped)+len(rep.MarkedRemoved)+len(rep.Unhealthy)+len(rep.Errors) > 0 {
		s.logger.InfoContext(ctx, "reconciled", "engines", rep.Engines, "records", rep.Records,
			"replaced", rep.Replaced, "adopted", rep.Adopted, "removed", rep.Removed, "stopped", rep.Stopped,
			"marked_removed", rep.MarkedRemoved, "unhealthy", rep.Unhealthy, "errors", len(rep.Errors))
	}
	return rep, nil
}

// act carries out one verdict and notes it in rep.
func (s *Service) act(ctx context.Context, rep *ReconcileReport, gameID string, v verdict, reason string,
	e *driver.Engine, currentTurn int) {
	var (
		err  error
		into *[]string
	)
	switch v {
	case keep, probe:
		return
	case replace:
		into = &rep.Replaced
		asked := false
		err = s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) (err error) {
			asked, err = s.queueReplaceTx(ctx, tx, gameID, reason)
			return err
		})
		if err == nil && !asked {
			return // the record moved on since it was read: the next pass looks again
		}
	case requeueStart:
		into = &rep.Requeued
		err = s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) error {
			_, err := s.river.InsertTx(ctx, tx, StartArgs{GameID: gameID}, s.startOpts())
			return err
		})
	case requeueReplace:
		into = &rep.Requeued
		err = s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) error {
			return s.insertReplaceTx(ctx, tx, gameID, reason)
		})
	case stopAndRemove:
		into = &rep.Stopped
		err = s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) error {
			return s.queueStopTx(ctx, tx, gameID, reason, true)
		})
	case removeEngine:
		into = &rep.Removed
		err = s.drv.Remove(ctx, gameID)
	case stopEngine:
		into = &rep.Stopped
		err = s.drv.Stop(ctx, gameID)
	case markRemoved:
		into = &rep.MarkedRemoved
		err = s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) error {
			return runtimestore.New(tx).SetRecordStatus(ctx, runtimestore.SetRecordStatusParams{GameID: gameID, Status: StatusRemoved})
		})
	case adopt:
		into = &rep.Adopted
		err = s.adopt(ctx, gameID, e, currentTurn, reason)
	}
	if err != nil {
		rep.Errors[gameID] = err
		s.logger.WarnContext(ctx, "reconcile repair failed", "game_id", gameID, "reason", reason, "error", err)
		return
	}
	if v != requeueStart && v != requeueReplace {
		s.logger.InfoContext(ctx, "reconciled engine", "game_id", gameID, "reason", reason, "verdict", v.String())
	}
	*into = append(*into, gameID)
}

// adopt records an engine of a live game that had no live record and asks
// for its replacement: the backend does not know the token the engine
// expects, so a new engine with a new token takes over the same state.
func (s *Service) adopt(ctx context.Context, gameID string, e *driver.Engine, currentTurn int, reason string) error {
	token, err := newToken()
	if err != nil {
		return err
	}
	return s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) error {
		if err := runtimestore.New(tx).AdoptRecord(ctx, runtimestore.AdoptRecordParams{
			GameID: gameID, Driver: s.drv.Kind(), ContainerID: e.ID, EngineToken: token,
			CurrentTurn: int32(currentTurn), Reason: reason,
		}); err != nil {
			return err
		}
		return s.insertReplaceTx(ctx, tx, gameID, reason)
	})
}

// checkHealth probes the running engines concurrently, records the results
// and replaces the engines that failed too many probes in a row.
func (s *Service) checkHealth(ctx context.Context, rep *ReconcileReport, engines []driver.Engine) {
	if len(engines) == 0 {
		return
	}
	var (
		mu     sync.Mutex
		failed = map[string]string{}
		wg     sync.WaitGroup
		sem    = make(chan struct{}, s.cfg.ProbeConcurrency)
	)
	for _, e := range engines {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c, err := engine.NewClient(e.Endpoint, "", engine.WithHealthTimeout(s.cfg.ProbeTimeout))
			if err == nil {
				err = c.Healthz(ctx)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed[e.GameID] = err.Error()
				rep.Unhealthy = append(rep.Unhealthy, e.GameID)
			} else {
				rep.Healthy = append(rep.Healthy, e.GameID)
			}
		}()
	}
	wg.Wait()
	slices.Sort(rep.Healthy)
	slices.Sort(rep.Unhealthy)

	q := runtimestore.New(s.db.Pool)
	if len(rep.Healthy) > 0 {
		if err := q.MarkHealthy(ctx, rep.Healthy); err != nil {
			s.logger.WarnContext(ctx, "recording engine health failed", "error", err)
		}
	}
	for _, id := range rep.Unhealthy {
		n, err := q.AddHealthFailure(ctx, runtimestore.AddHealthFailureParams{
			GameID: id, LastError: "health check failed: " + failed[id],
		})
		if postgres.IsNoRows(err) {
			continue // no longer running: nothing to count
		}
		if err != nil {
			rep.Errors[id] = err
			continue
		}
		if int(n) >= s.cfg.HealthFailures {
			s.act(ctx, rep, id, replace, fmt.Sprintf("the engine failed %d health checks in a row", n), nil, 0)
		}
	}
}

// String names a verdict in logs.
func (v verdict) String() string {
	return [...]string{"keep", "probe", "replace", "requeue_start", "requeue_replace", "stop_and_remove",
		"remove_engine", "stop_engine", "mark_removed", "adopt"}[v]
}
