package runtime

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// TestTwoReplicasRunEachTurnOnce runs one game on two backend replicas over
// one database: two River clients, two runtimes and two lobbies, sharing
// the engines as replicas share a Docker host. Both force every turn at the
// same moment, then both schedulers run turns on a one-second schedule;
// every turn must be committed exactly once.
func TestTwoReplicasRunEachTurnOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	drv := newInprocess(t)
	replicas := []*env{newEnvWith(t, pool, drv), newEnvWith(t, pool, drv)}
	a := replicas[0]
	gameID, _ := a.startGame(t, 2, `{"idle_turns_limit": 1000}`)
	// The lobby takes five-field cron only; the runtime takes any schedule
	// of its cron library, so the test can tick every second.
	a.exec(t, `UPDATE games SET turn_schedule = '@every 1s' WHERE game_id = $1`, gameID)

	const forcedRounds = 8
	var ran, lost int
	for range forcedRounds {
		var (
			wg  sync.WaitGroup
			mu  sync.Mutex
			got = make([]error, len(replicas))
		)
		for i, r := range replicas {
			wg.Go(func() {
				_, err := r.s.ForceNextTurn(ctx, gameID)
				mu.Lock()
				got[i] = err
				mu.Unlock()
			})
		}
		wg.Wait()
		for _, err := range got {
			switch {
			case err == nil:
				ran++
			case errs.Is(err, errs.Conflict) || errs.Is(err, errs.FailedPrecondition):
				lost++ // the other replica had the turn
			default:
				t.Fatalf("force: %v", err)
			}
		}
	}
	// A replica that reads the turn after the other committed forces the
	// next one, so a round may run two turns; never more than one each.
	if ran+lost != 2*forcedRounds || ran < forcedRounds {
		t.Fatalf("%d forced turns ran and %d lost the race in %d rounds", ran, lost, forcedRounds)
	}
	if cur := a.count(t, `SELECT current_turn FROM games WHERE game_id = $1`, gameID); cur != ran {
		t.Fatalf("the game is at turn %d after %d forced turns", cur, ran)
	}

	// Now the schedule alone: the first tick after a forced turn is
	// skipped, the next ones run, on whichever replica fetches the job.
	want := ran + 2
	deadline := time.Now().Add(time.Minute)
	for a.count(t, `SELECT current_turn FROM games WHERE game_id = $1`, gameID) < want {
		if time.Now().After(deadline) {
			t.Fatalf("scheduled turns did not come: turn %d", a.count(t, `SELECT current_turn FROM games WHERE game_id = $1`, gameID))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Pause the schedule so the count is taken on a still game.
	a.exec(t, `UPDATE runtime_records SET paused = true WHERE game_id = $1`, gameID)
	last := a.count(t, `SELECT current_turn FROM games WHERE game_id = $1`, gameID)

	for turn := 1; turn <= last; turn++ {
		if n := a.count(t, `SELECT count(*) FROM outbox_events WHERE type = $1 AND aggregate_id = $2
			AND (payload->>'turn')::int = $3`, outbox.TypeGameTurnCompleted, gameID, turn); n != 1 {
			t.Errorf("turn %d committed %d times", turn, n)
		}
		if n := a.count(t, `SELECT count(*) FROM race_reports WHERE game_id = $1 AND turn = $2`, gameID, turn); n != 2 {
			t.Errorf("turn %d has %d reports, want 2", turn, n)
		}
	}
	if n := a.count(t, `SELECT count(*) FROM game_turns WHERE game_id = $1`, gameID); n != last {
		t.Errorf("%d turns stored, want %d", n, last)
	}
}

// TestRecordCacheFollowsOtherReplicas: a replica that cached a game's
// record hears of the engine another replica replaced, and its players'
// orders reach the new engine.
func TestRecordCacheFollowsOtherReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	drv := newInprocess(t)
	a, b := newEnvWith(t, pool, drv), newEnvWith(t, pool, drv)
	gameID, _ := a.startGame(t, 2, `{}`)

	if res, err := b.s.SubmitOrders(ctx, gameID, "p1", 1, designOrder, false); err != nil || !res.Accepted {
		t.Fatalf("orders on replica b: %+v, %v", res, err)
	}
	cached := func() (string, bool) {
		b.s.cache.mu.RLock()
		defer b.s.cache.mu.RUnlock()
		r, ok := b.s.cache.recs[gameID]
		return r.Endpoint, ok
	}
	// The notifications of the start's own commits may still be on their way
	// to b and drop the entry it just cached: read until it stays.
	old, ok := cached()
	for deadline := time.Now().Add(10 * time.Second); !ok && time.Now().Before(deadline); old, ok = cached() {
		time.Sleep(20 * time.Millisecond)
		if _, err := b.s.cache.get(ctx, gameID); err != nil {
			t.Fatal(err)
		}
	}
	if !ok {
		t.Fatal("replica b did not cache the record it read")
	}

	if err := drv.Remove(ctx, gameID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.s.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	a.waitFor(t, "the replacement engine", func() bool {
		rec, err := a.s.Record(ctx, gameID)
		return err == nil && rec.Status == StatusRunning && rec.Endpoint != old
	})
	a.waitFor(t, "replica b to drop the stale record", func() bool {
		endpoint, ok := cached()
		return !ok || endpoint != old
	})
	if res, err := b.s.SubmitOrders(ctx, gameID, "p1", 1, designOrder, false); err != nil || !res.Accepted {
		t.Fatalf("orders on replica b after the replacement: %+v, %v", res, err)
	}
}
