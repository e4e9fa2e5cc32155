package user_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/user"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// env is the user module on a fresh database, wired the way the
// composition root wires it.
type env struct {
	svc  *user.Service
	db   *postgres.DB
	pool *pgxpool.Pool
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := pgtest.Pool(t)
	return replica(t, pool, false)
}

// replica builds one more user service on pool, as another backend process
// on the same database would have. With listen it receives other replicas'
// cache notifications.
func replica(t *testing.T, pool *pgxpool.Pool, listen bool) *env {
	t.Helper()
	db := &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}
	l := pgnotify.NewListener(pool, quiet)
	svc := user.New(db, l, quiet)
	if listen {
		if err := l.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = l.Stop(ctx)
		})
	}
	return &env{svc: svc, db: db, pool: pool}
}

// signUp creates an account the way the first sign-in does.
func (e *env) signUp(t *testing.T, email string) user.User {
	t.Helper()
	var u user.User
	err := e.db.InTx(context.Background(), func(ctx context.Context, tx pgx.Tx) (err error) {
		u, _, err = e.svc.FindOrCreateByEmailTx(ctx, tx, email, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.svc.AfterWrite(u)
	return u
}

// setStatus commits a status change and writes it through.
func (e *env) setStatus(t *testing.T, id, status, reason string) user.User {
	t.Helper()
	var u user.User
	err := e.db.InTx(context.Background(), func(ctx context.Context, tx pgx.Tx) (err error) {
		u, err = e.svc.SetStatusTx(ctx, tx, id, status, reason)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.svc.AfterWrite(u)
	return u
}

func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	return pgtest.Count(t, e.pool, query, args...)
}

func (e *env) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	pgtest.Exec(t, e.pool, query, args...)
}

// eventually is pgtest.Eventually.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	pgtest.Eventually(t, what, cond)
}

func ptr[T any](v T) *T { return &v }
