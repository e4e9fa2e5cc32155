package racenames

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/lobby/racenames/racenamesstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// HandOver moves fromUserID's reservation in gameID to toUserID, in tx: a
// substitute took over the race, whose name goes with it. The name moves
// only when this reservation is all fromUserID holds of it; a player who
// holds the name elsewhere too (registered, or in another game) keeps it,
// and the substitute plays the race under that name without holding it.
// It reports whether the name moved. Nothing to move is a no-op.
//
// Errors: InvalidArgument for an empty id; Unavailable when the database is
// busy or unreachable. On error, tx is left as it was.
func (d *Directory) HandOver(ctx context.Context, tx pgx.Tx, fromUserID, toUserID, gameID string) (bool, error) {
	for _, id := range [][2]string{{"user_id", fromUserID}, {"user_id", toUserID}, {"game_id", gameID}} {
		if err := requireID(id[0], id[1]); err != nil {
			return false, err
		}
	}
	moved := false
	err := inSavepoint(ctx, tx, func(ctx context.Context, q *racenamesstore.Queries) error {
		cur, ok, err := gameBinding(ctx, q, fromUserID, gameID)
		if err != nil || !ok || Kind(cur.BindingKind) != KindReservation {
			return err
		}
		if _, taken, err := gameBinding(ctx, q, toUserID, gameID); err != nil || taken {
			return err
		}
		if err := lockKeys(ctx, q, []string{cur.CanonicalKey}); err != nil {
			return err
		}
		n, err := q.CountUserKeyBindings(ctx, racenamesstore.CountUserKeyBindingsParams{
			HolderUserID: fromUserID, CanonicalKey: cur.CanonicalKey})
		if err != nil || n > 1 {
			return err
		}
		if err := q.MoveKeyWithBinding(ctx, racenamesstore.MoveKeyWithBindingParams{
			CanonicalKey: cur.CanonicalKey, BindingID: cur.BindingID, HolderUserID: toUserID}); err != nil {
			return err
		}
		moved = true
		return nil
	})
	if postgres.IsNoRows(err) {
		return false, nil
	}
	return moved, err
}
