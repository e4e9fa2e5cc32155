package racenames_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

func TestMarkPending(t *testing.T) {
	t.Parallel()

	t.Run("turns survivors' reservations into pending registrations and releases the rest", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob", "carol")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("bob", "g1", "Klingons")
		e.mustReserve("carol", "g1", "Daleks")
		e.mustReserve("carol", "g2", "Cylons")
		finished := e.now.Add(-time.Hour)
		e.markPending("g1", finished, "alice", "bob", "nobody")

		for _, user := range []string{"alice", "bob"} {
			b, ok := findBinding(e.list(user), "g1")
			if !ok || b.Kind != racenames.KindPendingRegistration || b.EligibleUntil == nil ||
				!b.EligibleUntil.Equal(finished.Add(racenames.PendingRegistrationWindow)) {
				t.Fatalf("%s: binding %+v", user, b)
			}
		}
		if _, ok := findBinding(e.list("carol"), "g1"); ok || !e.available("Daleks") {
			t.Fatal("a fallen race kept its name")
		}
		if _, ok := findBinding(e.list("carol"), "g2"); !ok {
			t.Fatal("another game's reservation was released")
		}
		e.checkInvariants()
	})

	t.Run("is idempotent", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("bob", "g1", "Klingons")
		e.markPending("g1", e.now, "alice")
		e.markPending("g1", e.now.Add(time.Hour), "alice", "bob")
		b, _ := findBinding(e.list("alice"), "g1")
		if !b.EligibleUntil.Equal(e.now.Add(racenames.PendingRegistrationWindow)) {
			t.Fatalf("second call moved the window: %v", b.EligibleUntil)
		}
		if len(e.list("bob")) != 0 {
			t.Fatal("second call revived a released name")
		}
	})

	t.Run("releases a survivor's reservation of a name they registered already", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now, "alice")
		if _, err := e.register("alice", "Vogons"); err != nil {
			t.Fatal(err)
		}
		e.mustReserve("alice", "g2", "Vogons")
		e.markPending("g2", e.now, "alice")
		got := e.list("alice")
		if len(got) != 1 || got[0].Kind != racenames.KindRegistered {
			t.Fatalf("bindings %+v", got)
		}
	})

	t.Run("with no survivors releases every reservation", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now)
		if !e.available("Vogons") {
			t.Fatal("name kept")
		}
	})

	t.Run("rejects a missing game or finish time", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		for _, c := range []struct {
			game string
			at   time.Time
		}{{"", e.now}, {"g1", time.Time{}}} {
			err := e.tx(func(tx pgx.Tx) error { return e.dir.MarkPending(context.Background(), tx, c.game, c.at, nil) })
			wantCode(t, err, errs.InvalidArgument)
		}
	})
}

func TestRegister(t *testing.T) {
	t.Parallel()

	t.Run("makes a pending name registered, usable by its owner in a new game and refused to others", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now, "alice")
		b, err := e.register("alice", "VOGONS")
		if err != nil {
			t.Fatal(err)
		}
		if b.Kind != racenames.KindRegistered || b.GameID != nil || b.EligibleUntil != nil ||
			b.Name != "Vogons" || b.CanonicalKey != "vogons" || b.HolderUserID != "alice" {
			t.Fatalf("binding %+v", b)
		}
		if got := e.list("alice"); len(got) != 1 || got[0].Kind != racenames.KindRegistered {
			t.Fatalf("bindings %+v", got)
		}

		// Its owner plays it again; nobody else can, before or after.
		if _, err := e.reserve("bob", "g2", "V0gons"); !errs.Is(err, errs.Conflict) {
			t.Fatalf("bob reserved alice's registered name: %v", err)
		}
		e.mustReserve("alice", "g2", "Vogons")
		if err := e.release("alice", "g2"); err != nil {
			t.Fatal(err)
		}
		_, err = e.reserve("bob", "g3", "Vоgоns")
		wantCode(t, err, errs.Conflict)
		if e.available("Vogons") {
			t.Fatal("a registered name reads as available")
		}
		e.checkInvariants()
	})

	t.Run("is idempotent", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now, "alice")
		first, err := e.register("alice", "Vogons")
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.register("alice", "vogons")
		if err != nil || again != first {
			t.Fatalf("second register: %+v, %v", again, err)
		}
	})

	t.Run("drops the user's other pending registrations of the name", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("alice", "g2", "Vogons")
		e.markPending("g1", e.now, "alice")
		e.markPending("g2", e.now, "alice")
		if _, err := e.register("alice", "Vogons"); err != nil {
			t.Fatal(err)
		}
		if got := e.list("alice"); len(got) != 1 || got[0].Kind != racenames.KindRegistered {
			t.Fatalf("bindings %+v", got)
		}
	})

	t.Run("keeps the user's reservations of the name", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("alice", "g2", "Vogons")
		e.markPending("g1", e.now, "alice")
		if _, err := e.register("alice", "Vogons"); err != nil {
			t.Fatal(err)
		}
		if b, ok := findBinding(e.list("alice"), "g2"); !ok || b.Kind != racenames.KindReservation {
			t.Fatal("reservation in a running game lost")
		}
	})

	t.Run("refuses a name that is not pending for the user", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		_, err := e.register("alice", "Vogons") // nobody's
		ee := wantCode(t, err, errs.FailedPrecondition)
		if ee.Details["canonical_key"] != "vogons" {
			t.Fatalf("details %v", ee.Details)
		}
		e.mustReserve("alice", "g1", "Vogons") // only reserved
		_, err = e.register("alice", "Vogons")
		wantCode(t, err, errs.FailedPrecondition)
	})

	t.Run("refuses another user's name", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now, "alice")
		_, err := e.register("bob", "V0gons")
		ee := wantCode(t, err, errs.Conflict)
		if ee.Details["name"] != "V0gons" || ee.Details["canonical_key"] != "vogons" {
			t.Fatalf("details %v", ee.Details)
		}
	})

	t.Run("refuses once the window has closed", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		finished := e.now.Add(-racenames.PendingRegistrationWindow - time.Second)
		e.markPending("g1", finished, "alice")
		_, err := e.register("alice", "Vogons")
		ee := wantCode(t, err, errs.FailedPrecondition)
		if until, ok := ee.Details["eligible_until"].(time.Time); !ok || !until.Equal(finished.Add(racenames.PendingRegistrationWindow)) {
			t.Fatalf("details %v", ee.Details)
		}
		// Nor may anyone else register what was never pending for them.
		_, err = e.register("bob", "Vogons")
		wantCode(t, err, errs.FailedPrecondition)
	})

	t.Run("accepts a registration just before the window closes", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now.Add(-racenames.PendingRegistrationWindow+time.Second), "alice")
		if _, err := e.register("alice", "Vogons"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("rejects invalid input", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		_, err := e.register("alice", "V")
		wantCode(t, err, errs.InvalidArgument)
		_, err = e.register("", "Vogons")
		wantCode(t, err, errs.InvalidArgument)
	})
}

func TestExpirePending(t *testing.T) {
	t.Parallel()

	t.Run("releases exactly the pending registrations past their window", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob", "carol")
		now := e.now
		window := racenames.PendingRegistrationWindow
		// Seven expired pending registrations over three users, some
		// exactly at the boundary; three still open; reservations and a
		// registered name that must stay.
		expired := 0
		for i, at := range []time.Time{
			now.Add(-window - 72*time.Hour), now.Add(-window - time.Hour), now.Add(-window - time.Second),
			now.Add(-window), // eligible_until == now: expired
			now.Add(-window - 24*time.Hour), now.Add(-window - 2*time.Hour), now.Add(-window - 3*time.Hour),
		} {
			user := []string{"alice", "bob", "carol"}[i%3]
			game := fmt.Sprintf("old%d", i)
			e.mustReserve(user, game, fmt.Sprintf("Expired%c", 'a'+i))
			e.markPending(game, at, user)
			expired++
		}
		for i, at := range []time.Time{now.Add(-window + time.Second), now.Add(-time.Hour), now} {
			game := fmt.Sprintf("recent%d", i)
			e.mustReserve("alice", game, fmt.Sprintf("Fresh%c", 'a'+i))
			e.markPending(game, at, "alice")
		}
		e.mustReserve("bob", "running", "Runners")
		e.mustReserve("carol", "won", "Winners")
		e.markPending("won", now, "carol")
		if _, err := e.register("carol", "Winners"); err != nil {
			t.Fatal(err)
		}
		// Bob's expired name is also reserved by him in a running game:
		// the key stays his.
		e.mustReserve("bob", "running2", "Expiredb")

		db := &postgres.DB{Pool: e.pool}
		n, err := e.dir.ExpirePending(context.Background(), db, now, 2)
		if err != nil {
			t.Fatal(err)
		}
		if n != expired {
			t.Fatalf("released %d, want %d", n, expired)
		}
		var pending int
		if err := e.pool.QueryRow(context.Background(),
			`SELECT count(*) FROM race_names WHERE binding_kind = 'pending_registration'`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending != 3 {
			t.Fatalf("%d pending registrations left, want 3", pending)
		}
		for i := range expired {
			name := fmt.Sprintf("Expired%c", 'a'+i)
			if want := name != "Expiredb"; e.available(name) != want {
				t.Errorf("%s available = %v, want %v", name, !want, want)
			}
		}
		for _, name := range []string{"Fresha", "Freshb", "Freshc", "Runners", "Winners"} {
			if e.available(name) {
				t.Errorf("%s freed", name)
			}
		}
		if n, err := e.dir.ExpirePending(context.Background(), db, now, 2); err != nil || n != 0 {
			t.Fatalf("second run released %d (%v), want 0", n, err)
		}
		e.checkInvariants()
	})

	t.Run("rejects a batch below one", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		_, err := e.dir.ExpirePending(context.Background(), &postgres.DB{Pool: e.pool}, e.now, 0)
		wantCode(t, err, errs.InvalidArgument)
	})
}
