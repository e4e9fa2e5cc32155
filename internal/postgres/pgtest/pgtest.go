// Package pgtest gives each test its own real PostgreSQL database.
//
// One private cluster serves a whole `go test ./...` run: the first test
// process to need it starts it, every process holds a shared lock on it while
// it runs, and the last one to finish stops it. Each test gets a fresh
// database cloned from a template that is migrated once per migration
// fingerprint, so tests run in parallel without seeing each other's rows.
//
// Packages that use it call Main from TestMain. Set GALAXY_TEST_POSTGRES_DSN to
// use an existing server instead (it needs CREATEDB rights).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/pgcluster"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Main runs the package's tests and releases the shared cluster afterwards.
// Use it as `func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }`.
func Main(m *testing.M) int {
	code := m.Run()
	if h := current(); h != nil {
		if err := h.release(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

// DSN creates a fresh, fully migrated database for t and returns its
// connection string. The database is dropped when t ends.
func DSN(t testing.TB) string {
	t.Helper()
	h, err := acquire()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name, err := h.createDatabase()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := h.dropDatabase(name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return h.dsn(name)
}

// Pool creates a fresh database for t (see DSN) and a pool on it with the
// backend's search_path. The pool is closed when t ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return PoolFor(t, DSN(t))
}

// templateVersion changes the template's name when the way templates are
// built changes (the migration fingerprint covers the migrations themselves).
const templateVersion = 2

// harness is the process's handle on the shared cluster.
type harness struct {
	dsn      func(db string) string
	admin    *pgxpool.Pool
	template string
	cluster  *pgcluster.Cluster // nil with GALAXY_TEST_POSTGRES_DSN
	locks    *locks
}

var (
	mu       sync.Mutex
	shared   *harness
	setupErr error
)

func current() *harness {
	mu.Lock()
	defer mu.Unlock()
	return shared
}

func acquire() (*harness, error) {
	mu.Lock()
	defer mu.Unlock()
	if shared == nil && setupErr == nil {
		shared, setupErr = setup()
	}
	return shared, setupErr
}

func setup() (*harness, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	h := &harness{}
	if dsn := os.Getenv("GALAXY_TEST_POSTGRES_DSN"); dsn != "" {
		if _, err := pgx.ParseConfig(dsn); err != nil {
			return nil, fmt.Errorf("GALAXY_TEST_POSTGRES_DSN: %w", err)
		}
		h.dsn = func(db string) string { return withDatabase(dsn, db) }
	} else {
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("galaxy-pgtest-%d", os.Getuid()))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		l, err := lockDir(dir)
		if err != nil {
			return nil, err
		}
		c, err := pgcluster.New(pgcluster.Options{Dir: filepath.Join(dir, "cluster")})
		if err != nil {
			l.close()
			return nil, err
		}
		if err := l.withExclusive(func() error {
			if err := c.Init(ctx); err != nil {
				return err
			}
			if err := c.Start(ctx); err != nil {
				return err
			}
			return l.markInUse()
		}); err != nil {
			l.close()
			return nil, err
		}
		h.cluster, h.locks, h.dsn = c, l, c.DSN
	}
	admin, err := pgxpool.New(ctx, h.dsn("postgres"))
	if err != nil {
		return nil, err
	}
	h.admin = admin
	h.template = fmt.Sprintf("galaxy_tpl_v%d_%s", templateVersion, postgres.Fingerprint())
	if err := h.withTemplateLock(ctx, h.ensureTemplate); err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	return h, nil
}

// withTemplateLock serialises template creation across test processes with
// an advisory lock, which also works against an external server.
func (h *harness) withTemplateLock(ctx context.Context, fn func(context.Context) error) error {
	conn, err := h.admin.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(4242)"); err != nil {
		return err
	}
	defer func() { _, _ = conn.Exec(context.Background(), "SELECT pg_advisory_unlock(4242)") }()
	return fn(ctx)
}

func (h *harness) ensureTemplate(ctx context.Context) error {
	var exists bool
	if err := h.admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", h.template).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	// Templates of older migration sets are dead weight.
	rows, err := h.admin.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'galaxy_tpl_%'")
	if err != nil {
		return err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, name := range stale {
		ident := pgx.Identifier{name}.Sanitize()
		if _, err := h.admin.Exec(ctx, "ALTER DATABASE "+ident+" IS_TEMPLATE false"); err != nil {
			return err
		}
		if _, err := h.admin.Exec(ctx, "DROP DATABASE "+ident+" WITH (FORCE)"); err != nil {
			return err
		}
	}

	build := pgx.Identifier{h.template + "_build"}.Sanitize()
	if _, err := h.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)"); err != nil {
		return err
	}
	if _, err := h.admin.Exec(ctx, "CREATE DATABASE "+build); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, h.dsn(h.template+"_build"))
	if err != nil {
		return err
	}
	err = postgres.Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil)))
	pool.Close()
	if err != nil {
		return err
	}
	ident := pgx.Identifier{h.template}.Sanitize()
	if _, err := h.admin.Exec(ctx, "ALTER DATABASE "+build+" RENAME TO "+ident); err != nil {
		return err
	}
	_, err = h.admin.Exec(ctx, "ALTER DATABASE "+ident+" IS_TEMPLATE true")
	return err
}

func (h *harness) createDatabase() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "test_" + hex.EncodeToString(b[:])
	_, err := h.admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s",
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{h.template}.Sanitize()))
	if err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return name, nil
}

func (h *harness) dropDatabase(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := h.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// release stops the cluster when no other test process still uses it.
func (h *harness) release() error {
	h.admin.Close()
	if h.cluster == nil {
		return nil
	}
	defer h.locks.close()
	return h.locks.withExclusive(func() error {
		last, err := h.locks.releaseInUse()
		if err != nil || !last {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return h.cluster.Stop(ctx)
	})
}

// withDatabase points a URL or key=value connection string at database db.
func withDatabase(dsn, db string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			u.Path = "/" + db
			return u.String()
		}
	}
	// In key=value form the last occurrence of a key wins.
	return dsn + " dbname=" + db
}

// PoolFor opens a pool (search_path backend) on an existing test database,
// closed when t ends.
func PoolFor(t testing.TB, dsn string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	// pgx's default (4 connections) starves River's fetchers and producers.
	cfg.MaxConns = 30
	cfg.ConnConfig.RuntimeParams["search_path"] = postgres.Schema
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
