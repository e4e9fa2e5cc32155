package racenames

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames/racenamesstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Reserve reserves name for userID in gameID, in tx (an application, an
// accepted invite). A user may reserve a name they already hold in any way
// (their registered or pending name, their reservation in another game);
// never one whose canonical key another user holds. Reserving the same name
// again in the same game is a no-op that returns the reservation; reserving
// another name in the same game replaces the user's reservation there (and
// frees the old name if nothing else binds it).
//
// Errors:
//   - InvalidArgument: name is not a valid race name (see Validate), or
//     userID or gameID is empty;
//   - Conflict: another user holds the name's canonical key (details: name,
//     canonical_key), or a concurrent Reserve of the same user and game
//     won the race (retry);
//   - FailedPrecondition: the user's name in gameID is no longer a
//     reservation (the game finished and it became a pending registration);
//   - Unavailable: the database is busy or unreachable.
//
// On error, tx is left as it was.
func (d *Directory) Reserve(ctx context.Context, tx pgx.Tx, userID, gameID, name string) (Binding, error) {
	if err := requireID("user_id", userID); err != nil {
		return Binding{}, err
	}
	if err := requireID("game_id", gameID); err != nil {
		return Binding{}, err
	}
	display, compat, err := prepare(name)
	if err != nil {
		return Binding{}, err
	}
	key := fold(compat)

	var out Binding
	err = inSavepoint(ctx, tx, func(ctx context.Context, q *racenamesstore.Queries) error {
		cur, has, err := gameBinding(ctx, q, userID, gameID)
		if err != nil {
			return err
		}
		if has && Kind(cur.BindingKind) == KindReservation && cur.CanonicalKey == key && cur.Name == display {
			out = bindingFrom(cur)
			return nil
		}
		// A binding changes only under its key's lock, and keys are locked
		// in key order: the old key (whose binding goes) and the new one
		// (claimed) both before any row changes.
		if has && cur.CanonicalKey < key {
			if err := lockKeys(ctx, q, []string{cur.CanonicalKey}); err != nil {
				return err
			}
		}
		if err := d.claim(ctx, q, userID, key, display); err != nil {
			return err
		}
		if has && cur.CanonicalKey > key {
			if err := lockKeys(ctx, q, []string{cur.CanonicalKey}); err != nil {
				return err
			}
		}
		// Read again under the locks: a cancel or a finish may have
		// changed the game's names while this waited.
		if cur, has, err = gameBinding(ctx, q, userID, gameID); err != nil {
			return err
		}
		switch {
		case has && Kind(cur.BindingKind) != KindReservation:
			return errs.E(errs.FailedPrecondition, "your race name in this game can no longer change").
				WithDetail("binding_kind", cur.BindingKind)
		case has && cur.CanonicalKey == key:
			// The same name, perhaps spelled differently ("vogons" → "Vogons").
			if cur.Name == display {
				out = bindingFrom(cur)
				return nil
			}
			row, err := q.RenameBinding(ctx, racenamesstore.RenameBindingParams{BindingID: cur.BindingID, Name: display})
			if err == nil {
				out = bindingFrom(row)
				return nil
			}
			// Gone meanwhile (a cancel released the whole game): reserve
			// afresh below.
			if !postgres.IsNoRows(err) {
				return err
			}
		}
		old, err := q.DeleteReservation(ctx, racenamesstore.DeleteReservationParams{GameID: gameID, HolderUserID: userID})
		if err != nil {
			return err
		}
		row, err := q.InsertReservation(ctx, racenamesstore.InsertReservationParams{
			CanonicalKey: key, Name: display, HolderUserID: userID, GameID: gameID,
		})
		if err != nil {
			if _, ok := postgres.UniqueViolation(err); ok {
				return errs.Wrap(err, errs.Conflict, "your race name in this game changed at the same time; try again").
					WithDetail("name", display).WithDetail("canonical_key", key)
			}
			return err
		}
		out = bindingFrom(row)
		return dropOrphanKeys(ctx, q, old)
	})
	if err != nil {
		return Binding{}, err
	}
	return out, nil
}

// gameBinding returns userID's binding in gameID, if any.
func gameBinding(ctx context.Context, q *racenamesstore.Queries, userID, gameID string) (racenamesstore.RaceName, bool, error) {
	b, err := q.GetGameBinding(ctx, racenamesstore.GetGameBindingParams{GameID: gameID, HolderUserID: userID})
	if postgres.IsNoRows(err) {
		return b, false, nil
	}
	return b, err == nil, err
}
