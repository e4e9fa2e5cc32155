package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// UpToDate exposes upToDate to the tests: whether Migrate would skip goose
// and River's migrator.
func UpToDate(ctx context.Context, pool *pgxpool.Pool) (bool, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Release()
	provider, db, err := newGoose(pool)
	if err != nil {
		return false, err
	}
	defer db.Close()
	return upToDate(ctx, conn, provider), nil
}
