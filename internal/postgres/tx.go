package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is the pool plus the per-operation deadline every domain store shares.
type DB struct {
	Pool *pgxpool.Pool
	// OperationTimeout bounds one operation's database work; zero means none.
	OperationTimeout time.Duration
}

// WithTimeout derives the operation deadline from ctx.
func (db *DB) WithTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if db.OperationTimeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, db.OperationTimeout)
}

// InTx runs fn in one transaction under the operation deadline. fn's error
// rolls back; otherwise the transaction commits and InTx returns only once the
// commit is durable, so a caller may acknowledge the write. Errors are
// translated with Translate.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) error {
	ctx, cancel := db.WithTimeout(ctx)
	defer cancel()
	return InTx(ctx, db.Pool, fn)
}

// Beginner is anything that can start a transaction: a pool, a connection or
// an outer transaction (which yields a savepoint).
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// InTx runs fn inside a transaction begun on b, committing when fn succeeds.
// Passing an outer pgx.Tx as b makes fn run in a savepoint.
func InTx(ctx context.Context, b Beginner, fn func(ctx context.Context, tx pgx.Tx) error) (err error) {
	tx, err := b.Begin(ctx)
	if err != nil {
		return Translate(fmt.Errorf("begin: %w", err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err = fn(ctx, tx); err != nil {
		return Translate(err)
	}
	if err = tx.Commit(ctx); err != nil {
		return Translate(fmt.Errorf("commit: %w", err))
	}
	return nil
}
