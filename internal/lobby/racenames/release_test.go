package racenames_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
)

func TestRelease(t *testing.T) {
	t.Parallel()

	t.Run("drops the reservation and frees the name", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		if err := e.release("alice", "g1"); err != nil {
			t.Fatal(err)
		}
		if len(e.list("alice")) != 0 || !e.available("Vogons") || e.keyHolder("vogons") != "" {
			t.Fatal("the reservation or its key survived")
		}
		e.mustReserve("bob", "g2", "V0gons")
	})

	t.Run("is idempotent", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		for range 2 {
			if err := e.release("alice", "g1"); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.release("alice", "never-joined"); err != nil {
			t.Fatal(err)
		}
		e.checkInvariants()
	})

	t.Run("keeps the name held by the user's other bindings", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("alice", "g2", "Vogons")
		if err := e.release("alice", "g1"); err != nil {
			t.Fatal(err)
		}
		if got := e.list("alice"); len(got) != 1 || *got[0].GameID != "g2" {
			t.Fatalf("bindings %+v", got)
		}
		if e.keyHolder("vogons") != "alice" {
			t.Fatal("key lost while a binding remains")
		}
	})

	t.Run("keeps a pending registration", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now, "alice")
		if err := e.release("alice", "g1"); err != nil {
			t.Fatal(err)
		}
		if got := e.list("alice"); len(got) != 1 || got[0].Kind != racenames.KindPendingRegistration {
			t.Fatalf("bindings %+v", got)
		}
	})

	t.Run("rejects missing ids", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		wantCode(t, e.release("", "g1"), errs.InvalidArgument)
		wantCode(t, e.release("alice", ""), errs.InvalidArgument)
	})
}

func TestReleaseGame(t *testing.T) {
	t.Parallel()

	t.Run("drops every reservation of the game and only those", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob", "carol")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("bob", "g1", "Klingons")
		e.mustReserve("bob", "g2", "Klingons")
		e.mustReserve("carol", "g2", "Daleks")
		e.mustReserve("carol", "g3", "Cylons")
		e.markPending("g3", e.now, "carol")
		release := func() error {
			return e.tx(func(tx pgx.Tx) error { return e.dir.ReleaseGame(context.Background(), tx, "g1") })
		}
		if err := release(); err != nil {
			t.Fatal(err)
		}
		if !e.available("Vogons") || e.available("Klingons") || e.available("Daleks") || e.available("Cylons") {
			t.Fatal("wrong names freed")
		}
		if len(e.list("alice")) != 0 || len(e.list("bob")) != 1 || len(e.list("carol")) != 2 {
			t.Fatal("wrong bindings dropped")
		}
		if err := release(); err != nil {
			t.Fatalf("second release: %v", err)
		}
		e.checkInvariants()
	})

	t.Run("keeps the game's pending registrations", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		e.mustReserve("alice", "g1", "Vogons")
		e.markPending("g1", e.now, "alice")
		if err := e.tx(func(tx pgx.Tx) error { return e.dir.ReleaseGame(context.Background(), tx, "g1") }); err != nil {
			t.Fatal(err)
		}
		if len(e.list("alice")) != 1 {
			t.Fatal("pending registration dropped by a cancel")
		}
	})
}

func TestReleaseAllByUser(t *testing.T) {
	t.Parallel()

	t.Run("drops every binding of the user, registered included, once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("alice", "g2", "Vogons")
		e.mustReserve("alice", "g3", "Klingons")
		e.mustReserve("alice", "g4", "Daleks")
		e.markPending("g3", e.now, "alice")
		e.markPending("g4", e.now, "alice")
		if _, err := e.register("alice", "Daleks"); err != nil {
			t.Fatal(err)
		}
		e.mustReserve("bob", "g1", "Cylons")

		if n := e.releaseAll("alice"); n != 4 {
			t.Fatalf("released %d bindings, want 4", n)
		}
		if n := e.releaseAll("alice"); n != 0 {
			t.Fatalf("second call released %d bindings, want 0", n)
		}
		if len(e.list("alice")) != 0 {
			t.Fatal("alice kept bindings")
		}
		for _, name := range []string{"Vogons", "Klingons", "Daleks"} {
			if !e.available(name) {
				t.Errorf("%s not freed", name)
			}
			e.mustReserve("bob", "g9-"+name, name)
		}
		if len(e.list("bob")) != 4 {
			t.Fatal("bob's bindings changed")
		}
		e.checkInvariants()
	})

	t.Run("is a no-op for a user without names", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		if n := e.releaseAll("alice"); n != 0 {
			t.Fatalf("released %d", n)
		}
		if n := e.releaseAll("unknown-user"); n != 0 {
			t.Fatalf("released %d", n)
		}
	})

	t.Run("rejects a missing user id", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		err := e.tx(func(tx pgx.Tx) error {
			_, err := e.dir.ReleaseAllByUser(context.Background(), tx, "")
			return err
		})
		wantCode(t, err, errs.InvalidArgument)
	})
}

func TestDeletingAUserDropsTheirNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "alice")
	e.mustReserve("alice", "g1", "Vogons")
	e.markPending("g1", time.Now(), "alice")
	if _, err := e.register("alice", "Vogons"); err != nil {
		t.Fatal(err)
	}
	e.mustReserve("alice", "g2", "Vogons")
	if _, err := e.pool.Exec(context.Background(), `DELETE FROM users WHERE user_id = 'alice'`); err != nil {
		t.Fatalf("deleting a user with names: %v", err)
	}
	if !e.available("Vogons") {
		t.Fatal("name still held")
	}
	e.checkInvariants()
}
