package runtime

import (
	"context"
	"testing"
	"time"
)

// TestNextTurnAtTellsTheTruth: after the start, a forced turn and an early
// turn, the game's next_turn_at is exactly when the scheduler will run the
// next turn (its queued job), never a tick that a forced or early turn took.
func TestNextTurnAtTellsTheTruth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	gameID, users := e.startGame(t, 2, `{}`) // schedule "0 0 1 1 *": once a year
	s := e.s

	// truth reads the game's next_turn_at and the run time of the queued
	// scheduled job of turn, which must agree.
	truth := func(t *testing.T, turn int) time.Time {
		t.Helper()
		var told, queued time.Time
		if err := e.pool.QueryRow(ctx, `SELECT next_turn_at FROM games WHERE game_id = $1`, gameID).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if err := e.pool.QueryRow(ctx, `
			SELECT scheduled_at FROM river_job
			WHERE kind = 'runtime.turn' AND args->>'game_id' = $1 AND (args->>'turn')::int = $2
			  AND args->>'trigger' = 'schedule' AND state IN ('scheduled', 'available')`, gameID, turn).Scan(&queued); err != nil {
			t.Fatalf("no scheduled job for turn %d: %v", turn, err)
		}
		if !told.Equal(queued) {
			t.Fatalf("turn %d: players are told %s, the scheduler runs it at %s", turn, told, queued)
		}
		return told
	}
	year := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	now := time.Now().UTC()

	if got := truth(t, 1); !got.Equal(year(now.Year() + 1)) {
		t.Fatalf("after the start: %s, want the next tick %s", got, year(now.Year()+1))
	}
	if _, err := s.ForceNextTurn(ctx, gameID); err != nil {
		t.Fatal(err)
	}
	// Turn 1 took the coming tick: turn 2 runs at the one after.
	if got := truth(t, 2); !got.Equal(year(now.Year() + 2)) {
		t.Fatalf("after a forced turn: %s, want %s", got, year(now.Year()+2))
	}
	for _, u := range users {
		if _, err := s.SubmitOrders(ctx, gameID, u, 2, "", true); err != nil {
			t.Fatal(err)
		}
	}
	e.waitFor(t, "the early turn 2", func() bool {
		return e.count(t, `SELECT count(*) FROM game_turns WHERE game_id = $1 AND turn = 2`, gameID) == 1
	})
	e.waitFor(t, "turn 3 scheduled", func() bool {
		return e.count(t, `SELECT count(*) FROM river_job WHERE kind = 'runtime.turn' AND args->>'game_id' = $1 AND (args->>'turn')::int = 3`, gameID) == 1
	})
	if got := truth(t, 3); !got.Equal(year(now.Year() + 2)) {
		t.Fatalf("after an early turn: %s, want %s", got, year(now.Year()+2))
	}
	// The turn's event carries the same time.
	var evNext time.Time
	if err := e.pool.QueryRow(ctx, `SELECT (payload->>'next_turn_at')::timestamptz FROM outbox_events
		WHERE type = 'game.turn_completed.v1' AND aggregate_id = $1 AND (payload->>'turn')::int = 2`, gameID).Scan(&evNext); err != nil ||
		!evNext.Equal(year(now.Year()+2)) {
		t.Fatalf("game.turn_completed.v1 of turn 2 says next %s (%v)", evNext, err)
	}
}

func TestNextTurnAt(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 17, 59, 0, 0, time.UTC)
	for _, c := range []struct {
		schedule string
		skip     bool
		want     time.Time
	}{
		{"0 18 * * *", false, time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC)},
		{"0 18 * * *", true, time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)},
		{"*/30 * * * *", true, time.Date(2026, 12, 6, 18, 30, 0, 0, time.UTC)},
		{"0 0 1 1 *", true, time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		got, err := nextTurnAt(c.schedule, at, c.skip)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%q skip=%v: %s %v, want %s", c.schedule, c.skip, got, err, c.want)
		}
	}
}
