package racenames_test

import (
	"context"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
)

func TestLookup(t *testing.T) {
	t.Parallel()

	t.Run("answers the canonical key and availability", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice")
		key, ok, err := e.dir.Lookup(context.Background(), e.pool, "V0GONS")
		if err != nil || key != "vogons" || !ok {
			t.Fatalf("Lookup = %q, %v, %v", key, ok, err)
		}
		e.mustReserve("alice", "g1", "Vogons")
		if _, ok, _ := e.dir.Lookup(context.Background(), e.pool, "Vоgоns"); ok {
			t.Fatal("a reserved name's look-alike reads as available")
		}
	})

	t.Run("rejects invalid names", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		_, _, err := e.dir.Lookup(context.Background(), e.pool, "no")
		wantCode(t, err, errs.InvalidArgument)
	})
}

func TestListByUser(t *testing.T) {
	t.Parallel()

	t.Run("lists every binding of the user oldest first", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, "alice", "bob")
		e.mustReserve("alice", "g1", "Vogons")
		e.mustReserve("alice", "g2", "Klingons")
		e.mustReserve("bob", "g1", "Daleks")
		e.markPending("g2", e.now, "alice")
		got := e.list("alice")
		if len(got) != 2 || got[0].Name != "Vogons" || got[0].Kind != racenames.KindReservation ||
			got[1].Name != "Klingons" || got[1].Kind != racenames.KindPendingRegistration || got[1].EligibleUntil == nil {
			t.Fatalf("bindings %+v", got)
		}
	})

	t.Run("returns an empty list for a user without names", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		if got := e.list("nobody"); got == nil || len(got) != 0 {
			t.Fatalf("got %#v, want an empty slice", got)
		}
	})
}
