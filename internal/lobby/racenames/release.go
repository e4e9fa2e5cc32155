package racenames

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/lobby/racenames/racenamesstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Release drops userID's reservation in gameID, in tx (withdrawn or
// rejected application, leaving, removal). The name stays the user's if
// another binding of theirs holds it. Releasing what is not reserved is a
// no-op, and so is releasing a name that became a pending registration: a
// finished game's survivors keep their window.
//
// Errors: InvalidArgument for an empty userID or gameID; Unavailable when
// the database is busy or unreachable. On error, tx is left as it was.
func (d *Directory) Release(ctx context.Context, tx pgx.Tx, userID, gameID string) error {
	if err := requireID("user_id", userID); err != nil {
		return err
	}
	if err := requireID("game_id", gameID); err != nil {
		return err
	}
	return inSavepoint(ctx, tx, func(ctx context.Context, q *racenamesstore.Queries) error {
		cur, err := q.GetGameBinding(ctx, racenamesstore.GetGameBindingParams{GameID: gameID, HolderUserID: userID})
		if postgres.IsNoRows(err) || (err == nil && Kind(cur.BindingKind) != KindReservation) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := lockKeys(ctx, q, []string{cur.CanonicalKey}); err != nil {
			return err
		}
		freed, err := q.DeleteReservation(ctx, racenamesstore.DeleteReservationParams{GameID: gameID, HolderUserID: userID})
		if err != nil {
			return err
		}
		return dropOrphanKeys(ctx, q, freed)
	})
}

// ReleaseGame drops every reservation of gameID, in tx (the game was
// cancelled). Pending registrations of the game are kept. Idempotent.
//
// Errors: InvalidArgument for an empty gameID; Unavailable when the
// database is busy or unreachable. On error, tx is left as it was.
func (d *Directory) ReleaseGame(ctx context.Context, tx pgx.Tx, gameID string) error {
	if err := requireID("game_id", gameID); err != nil {
		return err
	}
	return inSavepoint(ctx, tx, func(ctx context.Context, q *racenamesstore.Queries) error {
		if err := lockGameKeys(ctx, q, gameID); err != nil {
			return err
		}
		return dropGameReservations(ctx, q, gameID)
	})
}

// lockGameKeys locks the keys of gameID's reservations, in key order. Like
// every writer it takes all its key locks in this one step, before it
// changes any binding: a writer that locked keys one after the other as it
// discovered them could deadlock with another. Two whole-game operations
// on one game go one after the other, first of all: reservations made
// between their reads of the game's keys would otherwise let their
// deletions of the same rows cross.
func lockGameKeys(ctx context.Context, q *racenamesstore.Queries, gameID string) error {
	if err := q.LockGameNames(ctx, gameID); err != nil {
		return err
	}
	keys, err := q.GameReservationKeys(ctx, gameID)
	if err != nil {
		return err
	}
	return lockKeys(ctx, q, keys)
}

// dropGameReservations deletes the reservations of gameID that are left and
// frees their keys. A reservation made after lockGameKeys ran goes too; its
// key is freed if no other transaction holds it (see dropOrphanKeys).
func dropGameReservations(ctx context.Context, q *racenamesstore.Queries, gameID string) error {
	freed, err := q.DeleteGameReservations(ctx, gameID)
	if err != nil {
		return err
	}
	return dropOrphanKeys(ctx, q, freed)
}

// ReleaseAllByUser drops every binding of userID, registered names
// included, in tx: the block cascade ("Cascade Release" in the lobby
// runbook). It returns how many bindings it dropped, so a second call
// returns 0 and changes nothing.
//
// Errors: InvalidArgument for an empty userID; Unavailable when the
// database is busy or unreachable. On error, tx is left as it was.
func (d *Directory) ReleaseAllByUser(ctx context.Context, tx pgx.Tx, userID string) (int, error) {
	if err := requireID("user_id", userID); err != nil {
		return 0, err
	}
	n := 0
	err := inSavepoint(ctx, tx, func(ctx context.Context, q *racenamesstore.Queries) error {
		held, err := q.UserKeys(ctx, userID)
		if err != nil {
			return err
		}
		if err := lockKeys(ctx, q, held); err != nil {
			return err
		}
		freed, err := q.DeleteUserBindings(ctx, userID)
		if err != nil {
			return err
		}
		n = len(freed)
		// A key bound after UserKeys ran is in freed; a key row the user
		// somehow holds without bindings is in held. Both go.
		return dropOrphanKeys(ctx, q, append(held, freed...))
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
