package runtime

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/groupcommit"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// A turn's two database steps (reading its orders, committing what the
// engine made of them) go through group commit: the turns of many games
// that reach a step at the same time share one transaction and one
// statement per table, instead of a transaction and some twenty round trips
// each. When every game shares a tick, the turns' database work (ours and
// the server's) costs about a quarter of what it does one turn at a time
// (batches of 64, measured), leaving the engines' work as most of a tick.

// turnBatchMax bounds the turns of one batch, so that a batch's locks and
// statements stay short whatever the number of turn workers.
const turnBatchMax = 100

// turnGame is a game and its record as a batch locked them.
type turnGame = runtimestore.LockTurnGamesRow

// lockTurnGames locks the games and records of a batch of turns (see
// LockTurnGames for the order) and returns them by game id; a game without
// a record is missing.
func lockTurnGames(ctx context.Context, q *runtimestore.Queries, gameIDs []string) (map[string]turnGame, error) {
	rows, err := q.LockTurnGames(ctx, gameIDs)
	if err != nil {
		return nil, err
	}
	games := make(map[string]turnGame, len(rows))
	for _, r := range rows {
		games[r.GameID] = r
	}
	return games, nil
}

// noRecord is the error of a turn whose game has no runtime record.
func noRecord(gameID string) error {
	return errs.E(errs.NotFound, "game %s has no engine", gameID).WithDetail("game_id", gameID)
}

// turnStep is one database step of a batch of turns, run in tx: it sets
// each turn's result in res (same order as in), or returns an error that
// fails the whole batch.
type turnStep[In, Out any] func(ctx context.Context, tx pgx.Tx, in []In, res []groupcommit.Result[Out]) error

// runTurnBatch runs step over a batch of turns in one transaction, then
// drops the batch's records from the cache (see recordTx). A game's second
// turn in the batch (a forced turn racing its tick) waits for a batch of
// its own after the first, as it would without batching. A batch that
// fails is run again one turn at a time, so that one game's failure (a
// refused statement, a deadlock) is charged to that game's turn only;
// unless the database is out of reach or time ran out, where that would
// only multiply the wait.
func runTurnBatch[In, Out any](s *Service, in []In, gameOf func(In) string, step turnStep[In, Out]) []groupcommit.Result[Out] {
	res := make([]groupcommit.Result[Out], len(in))
	var first, again []int
	seen := make(map[string]bool, len(in))
	for i, x := range in {
		if id := gameOf(x); seen[id] {
			again = append(again, i)
		} else {
			seen[id] = true
			first = append(first, i)
		}
	}
	batch := make([]In, len(first))
	for k, i := range first {
		batch[k] = in[i]
	}
	out := make([]groupcommit.Result[Out], len(batch))
	ctx, cancel := s.db.WithTimeout(context.Background())
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		return step(ctx, tx, batch, out)
	})
	cancel()
	for id := range seen {
		s.cache.invalidate(id)
	}
	for k, i := range first {
		switch {
		case err == nil:
			res[i] = out[k]
		case len(batch) > 1 && !postgres.Unreachable(err):
			res[i] = runTurnBatch(s, []In{in[i]}, gameOf, step)[0]
		default:
			res[i].Err = err
		}
	}
	for _, i := range again {
		res[i] = runTurnBatch(s, []In{in[i]}, gameOf, step)[0]
	}
	return res
}
