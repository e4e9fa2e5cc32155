package runtime

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/lobby"
)

// intents records the notifications the runtime asks for.
type intents struct {
	mu  sync.Mutex
	got []lobby.Intent
}

func (n *intents) NotifyTx(_ context.Context, _ pgx.Tx, in lobby.Intent) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.got = append(n.got, in)
	return nil
}

func (n *intents) of(kind string) []lobby.Intent {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []lobby.Intent
	for _, in := range n.got {
		if in.Kind == kind {
			out = append(out, in)
		}
	}
	return out
}

// TestRemindersGoToPlayersWithoutOrders: the reminder of a turn is queued
// reminder_before its deadline, goes to exactly the active players with no
// stored orders, carries a per-turn dedupe key (one per player), and is
// not sent once the turn has run.
func TestRemindersGoToPlayersWithoutOrders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	rec := &intents{}
	e.s.SetNotifier(rec)
	gameID, users := e.startGame(t, 3, `{"reminder_before":"2h"}`)
	s := e.s

	var deadline, remindAt time.Time
	if err := e.pool.QueryRow(ctx, `SELECT next_turn_at FROM games WHERE game_id = $1`, gameID).Scan(&deadline); err != nil {
		t.Fatal(err)
	}
	if err := e.pool.QueryRow(ctx, `SELECT scheduled_at FROM river_job WHERE kind = 'runtime.reminder'
		AND args->>'game_id' = $1 AND (args->>'turn')::int = 1`, gameID).Scan(&remindAt); err != nil {
		t.Fatalf("no reminder queued for turn 1: %v", err)
	}
	if !remindAt.Equal(deadline.Add(-2 * time.Hour)) {
		t.Fatalf("reminder at %s, deadline %s: want 2h before", remindAt, deadline)
	}

	if _, err := s.SubmitOrders(ctx, gameID, users[0], 1, "", false); err != nil {
		t.Fatal(err)
	}
	n, err := s.remind(ctx, gameID, 1)
	if err != nil || n != 2 {
		t.Fatalf("reminded %d (%v), want the 2 players without orders", n, err)
	}
	told := map[string]bool{}
	for _, in := range rec.of(KindTurnReminder) {
		if in.DedupeKey != KindTurnReminder+":"+gameID+":1" || len(in.UserIDs) != 1 {
			t.Fatalf("intent %+v", in)
		}
		told[in.UserIDs[0]] = true
	}
	if told[users[0]] || !told[users[1]] || !told[users[2]] {
		t.Fatalf("reminded %v; %s had sent orders", told, users[0])
	}

	if _, err := s.ForceNextTurn(ctx, gameID); err != nil {
		t.Fatal(err)
	}
	if n, err := s.remind(ctx, gameID, 1); err != nil || n != 0 {
		t.Fatalf("after the turn ran: reminded %d, %v", n, err)
	}
}

func TestNoReminderWhenOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	gameID, _ := e.startGame(t, 2, `{"reminder_before":"off"}`)
	if n := e.count(t, `SELECT count(*) FROM river_job WHERE kind = 'runtime.reminder' AND args->>'game_id' = $1`, gameID); n != 0 {
		t.Fatalf("%d reminders queued for a game that asked for none", n)
	}
}
