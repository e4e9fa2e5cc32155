package racenames

import (
	"context"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames/racenamesstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// MarkPending settles gameID's names when it finishes, in tx: the
// reservations of survivorUserIDs become pending registrations, registrable
// until finishedAt + PendingRegistrationWindow; every other reservation of
// the game is released. A survivor who has registered the name already
// needs no pending registration: their reservation is simply released. A
// second call finds no reservations left and changes nothing.
//
// Errors: InvalidArgument for an empty gameID or a zero finishedAt;
// Unavailable when the database is busy or unreachable. On error, tx is left
// as it was.
func (d *Directory) MarkPending(ctx context.Context, tx pgx.Tx, gameID string, finishedAt time.Time, survivorUserIDs []string) error {
	if err := requireID("game_id", gameID); err != nil {
		return err
	}
	if finishedAt.IsZero() {
		return errs.E(errs.InvalidArgument, "finished_at is required").WithDetail("field", "finished_at")
	}
	if survivorUserIDs == nil {
		survivorUserIDs = []string{}
	}
	return inSavepoint(ctx, tx, func(ctx context.Context, q *racenamesstore.Queries) error {
		if err := lockGameKeys(ctx, q, gameID); err != nil {
			return err
		}
		if _, err := q.MarkSurvivorsPending(ctx, racenamesstore.MarkSurvivorsPendingParams{
			GameID:          gameID,
			SurvivorUserIds: survivorUserIDs,
			EligibleUntil:   finishedAt.Add(PendingRegistrationWindow),
		}); err != nil {
			return err
		}
		return dropGameReservations(ctx, q, gameID)
	})
}

// Register turns userID's pending registration of name into a registered
// name, in tx: the user owns it platform-wide from now on, and no other
// user can reserve it. The registered binding keeps the spelling the user
// played under; other pending registrations of the same name by the user
// are dropped as redundant. Registering a name the user has registered
// already returns that binding.
//
// Errors (all answered 409 by the contract's "not pending for me", except
// InvalidArgument):
//   - InvalidArgument: name is not a valid race name, or userID is empty;
//   - Conflict: another user holds the name (details: name, canonical_key);
//   - FailedPrecondition: the user holds no pending registration of the
//     name (details: name, canonical_key), or its window has closed
//     (details add eligible_until);
//   - Unavailable: the database is busy or unreachable.
//
// On error, tx is left as it was.
func (d *Directory) Register(ctx context.Context, tx pgx.Tx, userID, name string) (Binding, error) {
	if err := requireID("user_id", userID); err != nil {
		return Binding{}, err
	}
	display, compat, err := prepare(name)
	if err != nil {
		return Binding{}, err
	}
	key := fold(compat)
	now := d.clock()

	var out Binding
	err = inSavepoint(ctx, tx, func(ctx context.Context, q *racenamesstore.Queries) error {
		locked, err := q.LockKeys(ctx, []string{key})
		if err != nil {
			return err
		}
		if len(locked) == 0 {
			return notPendingError(display, key)
		}
		if locked[0].HolderUserID != userID {
			live, err := q.CountLiveBindings(ctx, racenamesstore.CountLiveBindingsParams{CanonicalKey: key, Now: now})
			if err != nil {
				return err
			}
			if live > 0 {
				return takenError(display, key)
			}
			return notPendingError(display, key)
		}
		bindings, err := q.UserKeyBindings(ctx, racenamesstore.UserKeyBindingsParams{HolderUserID: userID, CanonicalKey: key})
		if err != nil {
			return err
		}
		var pending *racenamesstore.RaceName
		var lapsed *time.Time
		for i, b := range bindings {
			switch Kind(b.BindingKind) {
			case KindRegistered:
				out = bindingFrom(b)
				return nil
			case KindPendingRegistration:
				if b.EligibleUntil.After(now) {
					if pending == nil {
						pending = &bindings[i]
					}
				} else {
					lapsed = b.EligibleUntil
				}
			}
		}
		if pending == nil {
			if lapsed != nil {
				return errs.E(errs.FailedPrecondition, "the time to register %q ran out on %s", display, lapsed.UTC().Format(time.RFC3339)).
					WithDetail("name", display).WithDetail("canonical_key", key).WithDetail("eligible_until", lapsed.UTC())
			}
			return notPendingError(display, key)
		}
		row, err := q.RegisterBinding(ctx, pending.BindingID)
		if err != nil {
			return err
		}
		out = bindingFrom(row)
		return q.DeleteUserPendingForKey(ctx, racenamesstore.DeleteUserPendingForKeyParams{HolderUserID: userID, CanonicalKey: key})
	})
	if err != nil {
		return Binding{}, err
	}
	return out, nil
}

func notPendingError(name, key string) error {
	return errs.E(errs.FailedPrecondition, "the race name %q is not waiting for you to register it", name).
		WithDetail("name", name).WithDetail("canonical_key", key)
}

// ExpirePending releases the pending registrations whose window closed by
// now, in transactions of at most batch bindings each, until none is left;
// it returns how many it released. Keys another transaction holds are
// skipped (they are picked up on the next call), so expirers of several
// replicas share the backlog rather than queue behind each other. Bindings
// that ran out of time never block anyone even before this runs (Reserve
// takes them over); this keeps the table small and ListByUser honest. It
// also deletes key rows that lost their last binding while another
// transaction held them.
//
// Errors: InvalidArgument for batch < 1; Unavailable when the database is
// busy or unreachable (batches committed before the failure stay
// released, and the count returned covers them).
func (d *Directory) ExpirePending(ctx context.Context, db *postgres.DB, now time.Time, batch int) (int, error) {
	if batch < 1 {
		return 0, errs.E(errs.InvalidArgument, "batch must be at least 1").WithDetail("field", "batch")
	}
	limit := int32(min(batch, math.MaxInt32))
	total := 0
	for {
		n := 0
		err := db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			q := racenamesstore.New(tx)
			keys, err := q.LockExpiredPendingKeys(ctx, racenamesstore.LockExpiredPendingKeysParams{Now: now, MaxRows: limit})
			if err != nil || len(keys) == 0 {
				return err
			}
			released, err := q.DeleteExpiredPending(ctx, racenamesstore.DeleteExpiredPendingParams{CanonicalKeys: keys, Now: now})
			if err != nil {
				return err
			}
			n = len(released)
			return dropOrphanKeys(ctx, q, keys)
		})
		if err != nil {
			return total, err
		}
		total += n
		// A short batch means the backlog is done, or what is left is
		// locked by someone else for now.
		if n < batch {
			break
		}
	}
	return total, sweepStrayKeys(ctx, db, limit)
}

// sweepStrayKeys deletes key rows left without bindings, batch by batch.
// Such rows are rare (see DeleteOrphanKeys in queries.sql) and harmless, as
// a key without live bindings is free to claim, but they should not pile
// up.
func sweepStrayKeys(ctx context.Context, db *postgres.DB, limit int32) error {
	for {
		var n int64
		err := db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			var err error
			n, err = racenamesstore.New(tx).DeleteStrayKeys(ctx, limit)
			return err
		})
		if err != nil || n < int64(limit) {
			return err
		}
	}
}
