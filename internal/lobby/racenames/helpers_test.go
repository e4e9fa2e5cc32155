package racenames_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// env is one test's database and directory.
type env struct {
	t    *testing.T
	pool *pgxpool.Pool
	dir  *racenames.Directory
	now  time.Time
}

// newEnv gives t a fresh database holding users, and a directory whose
// clock stands still at e.now (the wall clock when the test began), so that
// windows computed from it are exact.
func newEnv(t *testing.T, users ...string) *env {
	t.Helper()
	e := &env{t: t, pool: pgtest.Pool(t), now: time.Now().UTC().Truncate(time.Microsecond)}
	e.dir = racenames.NewWithClock(func() time.Time { return e.now })
	e.addUsers(users...)
	return e
}

// newEnvWithPool is newEnv with a pool of maxConns connections, for tests
// that hold many transactions open at once.
func newEnvWithPool(t *testing.T, maxConns int32, users ...string) *env {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = postgres.Schema
	cfg.MaxConns = maxConns
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e := &env{t: t, pool: pool, now: time.Now().UTC().Truncate(time.Microsecond)}
	e.dir = racenames.NewWithClock(func() time.Time { return e.now })
	e.addUsers(users...)
	return e
}

func (e *env) addUsers(users ...string) {
	e.t.Helper()
	for _, u := range users {
		if _, err := e.pool.Exec(context.Background(),
			`INSERT INTO users (user_id, email, display_name) VALUES ($1, $1 || '@example.test', $1)`, u); err != nil {
			e.t.Fatalf("adding user %s: %v", u, err)
		}
	}
}

// tx runs fn in a committed transaction and returns fn's error.
func (e *env) tx(fn func(tx pgx.Tx) error) error {
	e.t.Helper()
	return postgres.InTx(context.Background(), e.pool, func(_ context.Context, tx pgx.Tx) error { return fn(tx) })
}

func (e *env) reserve(user, game, name string) (racenames.Binding, error) {
	e.t.Helper()
	var b racenames.Binding
	err := e.tx(func(tx pgx.Tx) error {
		var err error
		b, err = e.dir.Reserve(context.Background(), tx, user, game, name)
		return err
	})
	return b, err
}

func (e *env) mustReserve(user, game, name string) racenames.Binding {
	e.t.Helper()
	b, err := e.reserve(user, game, name)
	if err != nil {
		e.t.Fatalf("Reserve(%s, %s, %q): %v", user, game, name, err)
	}
	return b
}

func (e *env) release(user, game string) error {
	e.t.Helper()
	return e.tx(func(tx pgx.Tx) error { return e.dir.Release(context.Background(), tx, user, game) })
}

func (e *env) markPending(game string, finishedAt time.Time, survivors ...string) {
	e.t.Helper()
	if err := e.tx(func(tx pgx.Tx) error {
		return e.dir.MarkPending(context.Background(), tx, game, finishedAt, survivors)
	}); err != nil {
		e.t.Fatalf("MarkPending(%s): %v", game, err)
	}
}

func (e *env) register(user, name string) (racenames.Binding, error) {
	e.t.Helper()
	var b racenames.Binding
	err := e.tx(func(tx pgx.Tx) error {
		var err error
		b, err = e.dir.Register(context.Background(), tx, user, name)
		return err
	})
	return b, err
}

func (e *env) releaseAll(user string) int {
	e.t.Helper()
	var n int
	if err := e.tx(func(tx pgx.Tx) error {
		var err error
		n, err = e.dir.ReleaseAllByUser(context.Background(), tx, user)
		return err
	}); err != nil {
		e.t.Fatalf("ReleaseAllByUser(%s): %v", user, err)
	}
	return n
}

func (e *env) list(user string) []racenames.Binding {
	e.t.Helper()
	bs, err := e.dir.ListByUser(context.Background(), e.pool, user)
	if err != nil {
		e.t.Fatalf("ListByUser(%s): %v", user, err)
	}
	return bs
}

func (e *env) available(name string) bool {
	e.t.Helper()
	_, ok, err := e.dir.Lookup(context.Background(), e.pool, name)
	if err != nil {
		e.t.Fatalf("Lookup(%q): %v", name, err)
	}
	return ok
}

// keyHolder returns the holder of key in race_name_keys, or "" if the key
// is not bound.
func (e *env) keyHolder(key string) string {
	e.t.Helper()
	var holder string
	err := e.pool.QueryRow(context.Background(),
		`SELECT holder_user_id FROM race_name_keys WHERE canonical_key = $1`, key).Scan(&holder)
	if errors.Is(err, pgx.ErrNoRows) {
		return ""
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return holder
}

// checkInvariants asserts what must hold whatever happened: every key row
// has a binding (no orphan blocks a name for nobody), and every binding's
// holder is its key's holder (also guaranteed by the foreign key).
func (e *env) checkInvariants() {
	e.t.Helper()
	var orphans, mismatched int
	if err := e.pool.QueryRow(context.Background(), `
		SELECT
		  (SELECT count(*) FROM race_name_keys k WHERE NOT EXISTS (SELECT 1 FROM race_names r WHERE r.canonical_key = k.canonical_key)),
		  (SELECT count(*) FROM race_names r JOIN race_name_keys k USING (canonical_key) WHERE r.holder_user_id <> k.holder_user_id)`,
	).Scan(&orphans, &mismatched); err != nil {
		e.t.Fatal(err)
	}
	if orphans != 0 || mismatched != 0 {
		e.t.Fatalf("invariants broken: %d orphan keys, %d bindings of another user than the key's holder", orphans, mismatched)
	}
}

// failure is what a test looks at in an *errs.Error.
type failure struct {
	Message string
	Details map[string]any
}

// wantCode fails unless err carries code, and returns its message and
// details.
func wantCode(t *testing.T, err error, code errs.Code) failure {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("got error %v (code %q), want code %q", err, errs.CodeOf(err), code)
	}
	var e *errs.Error
	errors.As(err, &e)
	return failure{Message: e.Message, Details: e.Details}
}

func findBinding(bs []racenames.Binding, game string) (racenames.Binding, bool) {
	for _, b := range bs {
		if b.GameID != nil && *b.GameID == game || b.GameID == nil && game == "" {
			return b, true
		}
	}
	return racenames.Binding{}, false
}
