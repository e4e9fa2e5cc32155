package racenames

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames/racenamesstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// DBTX is what the read methods query through: a pool, a connection or a
// transaction.
type DBTX = racenamesstore.DBTX

// Directory is the Race Name Directory. It keeps no state of its own
// besides the clock: everything is in PostgreSQL, so one Directory serves
// every goroutine and every replica.
type Directory struct {
	now func() time.Time
}

// New returns a Directory on the wall clock.
func New() *Directory { return &Directory{now: time.Now} }

// NewWithClock returns a Directory whose notion of "now" (for the pending
// registration window) is now; tests use it to move time.
func NewWithClock(now func() time.Time) *Directory { return &Directory{now: now} }

func (d *Directory) clock() time.Time {
	if d == nil || d.now == nil {
		return time.Now()
	}
	return d.now()
}

// inSavepoint runs fn in a savepoint of tx, so that a failed call (a
// conflict included) leaves the caller's transaction as it was and still
// usable: PostgreSQL aborts a whole transaction on any failed statement
// otherwise, and a cascade that treats conflict as "already done" must be
// able to go on.
func inSavepoint(ctx context.Context, tx pgx.Tx, fn func(ctx context.Context, q *racenamesstore.Queries) error) error {
	return postgres.InTx(ctx, tx, func(ctx context.Context, sp pgx.Tx) error {
		return fn(ctx, racenamesstore.New(sp))
	})
}

// claim makes userID the holder of key, locking the key row until the
// transaction ends; name is only for the error. It fails with Conflict when
// another user holds the key through a live binding. A key without live
// bindings changes hands at once: pending registrations past their window
// that the expirer has not reached yet (so the window is exact, not "30 days
// plus up to one expirer interval"), and key rows left without bindings
// (see dropOrphanKeys).
func (d *Directory) claim(ctx context.Context, q *racenamesstore.Queries, userID, key, name string) error {
	holder, err := q.ClaimKey(ctx, racenamesstore.ClaimKeyParams{CanonicalKey: key, HolderUserID: userID})
	if err != nil {
		return err
	}
	if holder == userID {
		return nil
	}
	live, err := q.CountLiveBindings(ctx, racenamesstore.CountLiveBindingsParams{CanonicalKey: key, Now: d.clock()})
	if err != nil {
		return err
	}
	if live > 0 {
		return takenError(name, key)
	}
	if err := q.DeleteKeyBindings(ctx, key); err != nil {
		return err
	}
	return q.TransferKey(ctx, racenamesstore.TransferKeyParams{CanonicalKey: key, HolderUserID: userID})
}

// lockKeys locks the rows of keys (those that exist) in key order, the one
// order every multi-key writer uses, so that two writers cannot deadlock.
func lockKeys(ctx context.Context, q *racenamesstore.Queries, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := q.LockKeys(ctx, sortedUnique(keys))
	return err
}

// dropOrphanKeys frees the keys among keys that lost their last binding.
// It never waits for a key another transaction holds: that one is left as a
// key row without bindings, which claim treats as free and ExpirePending
// sweeps. Waiting there could deadlock with a writer that locked that key
// first and now waits for a binding this transaction changed.
func dropOrphanKeys(ctx context.Context, q *racenamesstore.Queries, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := q.DeleteOrphanKeys(ctx, sortedUnique(keys))
	return err
}

func sortedUnique(keys []string) []string {
	out := slices.Clone(keys)
	slices.Sort(out)
	return slices.Compact(out)
}

// takenError is the conflict every method returns for a name another user
// holds. It names the key so that a player sees why "V0gons" is taken by
// "Vogons", but never who holds it.
func takenError(name, key string) error {
	return errs.E(errs.Conflict, "the race name %q is taken by another player (names that look alike count as the same)", name).
		WithDetail("name", name).WithDetail("canonical_key", key)
}

func requireID(field, value string) error {
	if value == "" {
		return errs.E(errs.InvalidArgument, "%s is required", field).WithDetail("field", field)
	}
	return nil
}
