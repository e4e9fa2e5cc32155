package racenames_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
)

func TestReserve(t *testing.T) {
	t.Parallel()

	t.Run("reserves a free name", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		b := e.mustReserve("alice", "g1", "Vogons")
		if b.Name != "Vogons" || b.CanonicalKey != "vogons" || b.HolderUserID != "alice" ||
			b.Kind != racenames.KindReservation || b.GameID == nil || *b.GameID != "g1" ||
			b.EligibleUntil != nil || b.CreatedAt.IsZero() {
			t.Fatalf("binding %+v", b)
		}
		if e.available("V0GONS") {
			t.Fatal("a reserved name reads as available")
		}
		if e.keyHolder("vogons") != "alice" {
			t.Fatal("key not held by alice")
		}
	})

	t.Run("is idempotent for the same user, game and name", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		first := e.mustReserve("alice", "g1", "Vogons")
		again := e.mustReserve("alice", "g1", "Vogons")
		if !again.CreatedAt.Equal(first.CreatedAt) || len(e.list("alice")) != 1 {
			t.Fatalf("second reservation changed something: %+v vs %+v, %d bindings", first, again, len(e.list("alice")))
		}
	})

	t.Run("refuses look-alikes of another user's name", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		for _, name := range []string{"Vogons", "VOGONS", "V0gons", "Vоgоns", "Vοgοns", "ＶＯＧＯＮＳ", "Vogöns"} {
			for _, game := range []string{"g1", "g2"} {
				_, err := e.reserve("bob", game, name)
				ee := wantCode(t, err, errs.Conflict)
				if ee.Details["name"] != name || ee.Details["canonical_key"] != "vogons" {
					t.Fatalf("details %v", ee.Details)
				}
			}
		}
		if len(e.list("bob")) != 0 {
			t.Fatal("bob got a binding")
		}
	})

	t.Run("leaves the caller's transaction usable after a conflict", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		err := e.tx(func(tx pgx.Tx) error {
			if _, err := e.dir.Reserve(context.Background(), tx, "bob", "g2", "Klingons"); err != nil {
				return err
			}
			if _, err := e.dir.Reserve(context.Background(), tx, "bob", "g1", "V0gons"); !errs.Is(err, errs.Conflict) {
				t.Errorf("want conflict, got %v", err)
			}
			// The transaction goes on: the cascade treats conflict as done.
			_, err := e.dir.Reserve(context.Background(), tx, "bob", "g3", "Klingons")
			return err
		})
		if err != nil {
			t.Fatalf("transaction failed after a conflict: %v", err)
		}
		if got := e.list("bob"); len(got) != 2 {
			t.Fatalf("bob has %d bindings, want 2", len(got))
		}
		e.checkInvariants()
	})

	t.Run("lets a user reuse their name in another game", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		b := e.mustReserve("alice", "g2", "VOGONS")
		if b.Name != "VOGONS" || b.CanonicalKey != "vogons" {
			t.Fatalf("binding %+v", b)
		}
		if got := e.list("alice"); len(got) != 2 {
			t.Fatalf("alice has %d bindings, want 2", len(got))
		}
	})

	t.Run("replaces the user's reservation when they change name in the same game", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("alice", "g1", "Klingons")
		got := e.list("alice")
		if len(got) != 1 || got[0].Name != "Klingons" {
			t.Fatalf("bindings %+v", got)
		}
		if !e.available("Vogons") || e.keyHolder("vogons") != "" {
			t.Fatal("the old name was not freed")
		}
		e.mustReserve("bob", "g1", "Vogons")
		e.checkInvariants()
	})

	t.Run("keeps the old name when another binding of the user holds it", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("alice", "g2", "Vogons")
		e.mustReserve("alice", "g1", "Klingons")
		if e.available("Vogons") {
			t.Fatal("Vogons freed while alice still plays it in g2")
		}
		_, err := e.reserve("bob", "g3", "Vogons")
		wantCode(t, err, errs.Conflict)
	})

	t.Run("respells in place when only the spelling changes", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		first := e.mustReserve("alice", "g1", "vogons")
		b := e.mustReserve("alice", "g1", "Vogons")
		if b.Name != "Vogons" || !b.CreatedAt.Equal(first.CreatedAt) {
			t.Fatalf("binding %+v", b)
		}
	})

	t.Run("stores the name in NFC", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		if b := e.mustReserve("alice", "g1", "Vogo\u0308ns"); b.Name != "Vogöns" {
			t.Fatalf("name %q", b.Name)
		}
	})

	t.Run("rejects invalid names and missing ids", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		for _, c := range []struct{ user, game, name string }{
			{"alice", "g1", "ab"},
			{"alice", "g1", "Star Lords"},
			{"alice", "g1", "12345"},
			{"", "g1", "Vogons"},
			{"alice", "", "Vogons"},
		} {
			_, err := e.reserve(c.user, c.game, c.name)
			wantCode(t, err, errs.InvalidArgument)
		}
	})

	t.Run("refuses to change a name that became a pending registration", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now, "alice")
		for _, name := range []string{"Klingons", "Vogons"} {
			_, err := e.reserve("alice", "g1", name)
			wantCode(t, err, errs.FailedPrecondition)
		}
		if got := e.list("alice"); len(got) != 1 || got[0].Kind != racenames.KindPendingRegistration {
			t.Fatalf("bindings %+v", got)
		}
	})

	t.Run("takes over a name whose pending registration ran out", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now.Add(-racenames.PendingRegistrationWindow-time.Minute), "alice")
		if !e.available("Vogons") {
			t.Fatal("a lapsed pending registration reads as taken")
		}
		b := e.mustReserve("bob", "g2", "V0gons")
		if b.HolderUserID != "bob" || e.keyHolder("vogons") != "bob" {
			t.Fatalf("binding %+v, key holder %q", b, e.keyHolder("vogons"))
		}
		if got := e.list("alice"); len(got) != 0 {
			t.Fatalf("alice still has %+v", got)
		}
		e.checkInvariants()
	})

	t.Run("does not take over a name still held in a live way", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("alice", "g2", "Vogons")
		e.markPending("g1", e.now.Add(-racenames.PendingRegistrationWindow-time.Minute), "alice")
		_, err := e.reserve("bob", "g3", "Vogons")
		wantCode(t, err, errs.Conflict)
	})

	t.Run("leaves no trace when the caller rolls back", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		rollback := errors.New("rollback")
		err := e.tx(func(tx pgx.Tx) error {
			if _, err := e.dir.Reserve(context.Background(), tx, "alice", "g1", "Vogons"); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if !e.available("Vogons") || e.keyHolder("vogons") != "" {
			t.Fatal("a rolled back reservation left a binding or a key")
		}
	})
}
