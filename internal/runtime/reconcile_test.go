package runtime

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

func TestJudgeRecord(t *testing.T) {
	t.Parallel()
	running := &driver.Engine{ID: "c1", Status: driver.StatusRunning, State: "running"}
	exited := &driver.Engine{ID: "c1", Status: driver.StatusExited, State: "exited", ExitCode: 137}
	other := &driver.Engine{ID: "c2", Status: driver.StatusRunning, State: "running"}
	for _, tc := range []struct {
		record, game string
		engine       *driver.Engine
		want         verdict
	}{
		{StatusRunning, lobby.StatusRunning, running, probe},
		{StatusRunning, lobby.StatusPaused, running, probe},
		{StatusRunning, lobby.StatusRunning, nil, replace},
		{StatusRunning, lobby.StatusRunning, exited, replace},
		{StatusRunning, lobby.StatusRunning, other, replace},
		{StatusRunning, lobby.StatusFinished, running, stopAndRemove},
		{StatusRunning, lobby.StatusCancelled, nil, stopAndRemove},
		{StatusPending, lobby.StatusStarting, nil, requeueStart},
		{StatusStarting, lobby.StatusStarting, running, requeueStart},
		{StatusStarting, lobby.StatusRunning, nil, requeueReplace},
		{StatusStarting, lobby.StatusCancelled, running, stopAndRemove},
		{StatusStarting, lobby.StatusCancelled, nil, markRemoved},
		{StatusFailed, lobby.StatusRunning, nil, replace},
		{StatusFailed, lobby.StatusStartFailed, exited, removeEngine},
		{StatusFailed, lobby.StatusStartFailed, nil, keep},
		{StatusStopping, lobby.StatusCancelled, running, keep},
		{StatusStopped, lobby.StatusCancelled, nil, markRemoved},
		{StatusStopped, lobby.StatusCancelled, running, stopEngine},
		{StatusStopped, lobby.StatusCancelled, exited, keep},
	} {
		got, reason := judgeRecord(tc.record, tc.game, "c1", tc.engine)
		if got != tc.want {
			t.Errorf("record %s, game %s, engine %+v: %s (%s), want %s", tc.record, tc.game, tc.engine, got, reason, tc.want)
		}
	}
	for game, want := range map[string]verdict{
		lobby.StatusRunning: adopt, lobby.StatusPaused: adopt, lobby.StatusStarting: keep,
		lobby.StatusFinished: removeEngine, lobby.StatusCancelled: removeEngine, "": removeEngine,
	} {
		if got, _ := judgeUnrecorded(game); got != want {
			t.Errorf("unrecorded engine of a %q game: %s, want %s", game, got, want)
		}
	}
}

// designOrder is an order whose effect shows in the next report: a ship
// type named Colonist.
const designOrder = "d Colonist 4 0 0 0 4"

// loseEngineAndRecover checks the reconciler's promise for a game whose
// engine is lost by lose after turn 1 and orders for turn 2: the next pass
// replaces the engine from the turn-1 snapshot, and turn 2 runs on the new
// engine with the orders sent before the loss.
func loseEngineAndRecover(t *testing.T, e *env, gameID string, lose func(t *testing.T, old Record)) {
	t.Helper()
	ctx := context.Background()
	s := e.s
	if turn, err := s.ForceNextTurn(ctx, gameID); err != nil || turn != 1 {
		t.Fatalf("force turn 1: %d, %v", turn, err)
	}
	if res, err := s.SubmitOrders(ctx, gameID, "p1", 2, designOrder, false); err != nil || !res.Accepted {
		t.Fatalf("orders: %+v, %v", res, err)
	}
	old, err := s.Record(ctx, gameID)
	if err != nil {
		t.Fatal(err)
	}
	lose(t, old)

	rep, err := s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(append(rep.Replaced, rep.Adopted...), []string{gameID}) || len(rep.Errors) > 0 {
		t.Fatalf("reconcile = %+v", rep)
	}
	e.waitFor(t, "the replacement engine", func() bool {
		rec, err := s.Record(ctx, gameID)
		return err == nil && rec.Status == StatusRunning
	})
	rec, _ := s.Record(ctx, gameID)
	if rec.CurrentTurn != 1 || rec.Endpoint == "" {
		t.Fatalf("replaced record = %+v", rec)
	}
	if n := e.count(t, `SELECT replacements FROM runtime_records WHERE game_id = $1`, gameID); n != 1 {
		t.Fatalf("replacements = %d, want 1", n)
	}

	if turn, err := s.ForceNextTurn(ctx, gameID); err != nil || turn != 2 {
		t.Fatalf("force turn 2 on the new engine: %d, %v", turn, err)
	}
	report, err := s.Reports(ctx, gameID, "p1", 2)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(report.Text, "Colonist") {
		t.Fatalf("turn 2 lost the orders sent before the engine was lost:\n%s", report.Text)
	}

	rep, err = s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Healthy, []string{gameID}) || len(rep.Replaced)+len(rep.Unhealthy)+len(rep.Errors) > 0 {
		t.Fatalf("second pass = %+v", rep)
	}
}

func TestReconcileReplacesLostEngines(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("vanished with its state", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		gameID, _ := e.startGame(t, 2, `{}`)
		loseEngineAndRecover(t, e, gameID, func(t *testing.T, _ Record) {
			if err := e.drv.Remove(ctx, gameID); err != nil {
				t.Fatal(err)
			}
			// Until the reconciler passes, a turn cannot run.
			if _, err := e.s.ForceNextTurn(ctx, gameID); !errs.Is(err, errs.Unavailable) {
				t.Fatalf("force turn on a lost engine: %v, want unavailable", err)
			}
		})
	})
	t.Run("exited", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		gameID, _ := e.startGame(t, 2, `{}`)
		loseEngineAndRecover(t, e, gameID, func(t *testing.T, _ Record) {
			if err := e.drv.Stop(ctx, gameID); err != nil {
				t.Fatal(err)
			}
		})
	})
	t.Run("record lost", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		gameID, _ := e.startGame(t, 2, `{}`)
		loseEngineAndRecover(t, e, gameID, func(t *testing.T, _ Record) {
			// The engine runs but the backend forgot it: it is adopted,
			// under a new token, and replaced over the same state.
			e.exec(t, `DELETE FROM runtime_records WHERE game_id = $1`, gameID)
		})
	})
}

// unhealthyDriver lists the given game's engine at an address where nothing
// answers, as a hung engine would look to the probes.
type unhealthyDriver struct {
	driver.Driver
	sick     string
	deadAddr string
}

func (d *unhealthyDriver) List(ctx context.Context) ([]driver.Engine, error) {
	engines, err := d.Driver.List(ctx)
	for i := range engines {
		if engines[i].GameID == d.sick {
			engines[i].Endpoint = d.deadAddr
		}
	}
	return engines, err
}

func TestReconcileReplacesUnhealthyEngine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := "http://" + dead.Addr().String()
	dead.Close()
	drv := &unhealthyDriver{Driver: newInprocess(t), deadAddr: deadAddr}
	e := newEnvWith(t, pgtest.Pool(t), drv)
	gameID, _ := e.startGame(t, 2, `{}`)
	drv.sick = gameID

	// HealthFailures is 2 in tests: one failed probe is only counted.
	rep, err := e.s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Unhealthy, []string{gameID}) || len(rep.Replaced) > 0 {
		t.Fatalf("first pass = %+v", rep)
	}
	if n := e.count(t, `SELECT health_failures FROM runtime_records WHERE game_id = $1`, gameID); n != 1 {
		t.Fatalf("health_failures = %d", n)
	}
	rep, err = e.s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Replaced, []string{gameID}) {
		t.Fatalf("second pass = %+v", rep)
	}
	drv.sick = ""
	e.waitFor(t, "the replacement engine", func() bool {
		rec, err := e.s.Record(ctx, gameID)
		return err == nil && rec.Status == StatusRunning
	})
	if n := e.count(t, `SELECT health_failures FROM runtime_records WHERE game_id = $1`, gameID); n != 0 {
		t.Fatalf("health_failures after the replacement = %d", n)
	}
	if turn, err := e.s.ForceNextTurn(ctx, gameID); err != nil || turn != 1 {
		t.Fatalf("force turn on the new engine: %d, %v", turn, err)
	}
}

func TestReconcileRemovesEnginesNobodyNeeds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	// An engine of a game this backend does not know.
	orphan := "g-orphan"
	if _, err := e.drv.Start(ctx, driver.Spec{GameID: orphan, Token: strings.Repeat("a", 32)}); err != nil {
		t.Fatal(err)
	}
	// A finished game whose stop was never queued: its record still says
	// running.
	finished, _ := e.startGame(t, 2, `{}`)
	e.exec(t, `UPDATE games SET status = 'finished' WHERE game_id = $1`, finished)

	rep, err := e.s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Removed, []string{orphan}) || !slices.Equal(rep.Stopped, []string{finished}) || len(rep.Errors) > 0 {
		t.Fatalf("reconcile = %+v", rep)
	}
	if eng, err := e.drv.Inspect(ctx, orphan); err != nil || eng.Status != driver.StatusMissing {
		t.Fatalf("orphan engine after the pass: %+v, %v", eng, err)
	}
	e.waitFor(t, "the finished game's engine removed", func() bool {
		rec, err := e.s.Record(ctx, finished)
		return err == nil && rec.Status == StatusRemoved
	})
	if eng, err := e.drv.Inspect(ctx, finished); err != nil || eng.Status != driver.StatusMissing {
		t.Fatalf("finished game's engine: %+v, %v", eng, err)
	}
	rep, err = e.s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Engines != 0 || rep.Records != 0 {
		t.Fatalf("a clean pass = %+v", rep)
	}
}

// TestReplacementRunsABackingOffTurnAtOnce: a scheduled turn that failed
// against a lost engine and waits out a long backoff runs as soon as the
// replacement engine is up.
func TestReplacementRunsABackingOffTurnAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	gameID, _ := e.startGame(t, 2, `{}`)
	if err := e.drv.Remove(ctx, gameID); err != nil {
		t.Fatal(err)
	}
	// As if turn 1's tick came, failed against the lost engine, and backed
	// off for an hour.
	e.exec(t, `UPDATE river_job SET state = 'retryable', attempt = 5, scheduled_at = now() + interval '1 hour'
		WHERE kind = 'runtime.turn' AND args->>'game_id' = $1`, gameID)

	rep, err := e.s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Replaced, []string{gameID}) {
		t.Fatalf("reconcile = %+v", rep)
	}
	e.waitFor(t, "turn 1 on the replacement engine", func() bool {
		return e.count(t, `SELECT current_turn FROM games WHERE game_id = $1`, gameID) == 1
	})
}

// TestPeriodicReconcilerReplacesALostEngine: with the periodic pass on, as
// the app runs it, a lost engine comes back without anyone asking.
func TestPeriodicReconcilerReplacesALostEngine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnvWith(t, pgtest.Pool(t), newInprocess(t), func(c *Config) { c.ReconcileInterval = 200 * time.Millisecond })
	gameID, _ := e.startGame(t, 2, `{}`)
	if err := e.drv.Remove(ctx, gameID); err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, "the periodic reconciler to replace the engine", func() bool {
		return e.count(t, `SELECT count(*) FROM runtime_records WHERE game_id = $1 AND status = 'running' AND replacements = 1`, gameID) == 1
	})
	if turn, err := e.s.ForceNextTurn(ctx, gameID); err != nil || turn != 1 {
		t.Fatalf("force turn on the new engine: %d, %v", turn, err)
	}
}

// listHookDriver runs a hook after each List, to change the world between
// the listing and the reading of the records.
type listHookDriver struct {
	driver.Driver
	afterList func()
}

func (d *listHookDriver) List(ctx context.Context) ([]driver.Engine, error) {
	engines, err := d.Driver.List(ctx)
	if d.afterList != nil {
		d.afterList()
	}
	return engines, err
}

// TestReconcileLeavesRecordsChangedDuringThePass: an engine replaced while a
// pass lists engines is not taken for a lost one (which would replace it a
// second time); the next pass sees it as it is.
func TestReconcileLeavesRecordsChangedDuringThePass(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	drv := &listHookDriver{Driver: newInprocess(t)}
	e := newEnvWith(t, pgtest.Pool(t), drv)
	gameID, _ := e.startGame(t, 2, `{}`)
	old, err := e.s.Record(ctx, gameID)
	if err != nil {
		t.Fatal(err)
	}
	// As a replacement committing right after the listing would.
	drv.afterList = func() {
		e.exec(t, `UPDATE runtime_records SET container_id = 'replaced-meanwhile' WHERE game_id = $1`, gameID)
	}
	rep, err := e.s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Replaced)+len(rep.Healthy)+len(rep.Unhealthy) > 0 {
		t.Fatalf("a pass judged a record changed after its listing: %+v", rep)
	}
	drv.afterList = nil
	e.exec(t, `UPDATE runtime_records SET container_id = $2 WHERE game_id = $1`, gameID, old.ContainerID)
	if rep, err = e.s.Reconcile(ctx); err != nil || !slices.Equal(rep.Healthy, []string{gameID}) {
		t.Fatalf("the next pass = %+v, %v", rep, err)
	}
}
