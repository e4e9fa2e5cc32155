package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockID is the advisory lock that serialises migrations of several
// replicas starting at once. Any constant works as long as it never changes.
const migrationLockID = 0x6761_6c61_7879 // "galaxy"

// Migrate applies every pending migration: the backend schema, then our goose
// migrations, then River's. It holds an advisory lock so that replicas
// starting together migrate one after another. It is idempotent.
func Migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockID); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		// A fresh context: the unlock must happen even when ctx was cancelled,
		// or the session keeps the lock until the connection dies.
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockID)
	}()

	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+Schema); err != nil {
		return fmt.Errorf("migrate: create schema: %w", err)
	}

	provider, db, err := newGoose(pool)
	if err != nil {
		return err
	}
	defer db.Close()
	if upToDate(ctx, conn, provider) {
		return nil
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		logger.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration.String())
	}

	riverResult, err := newRiverMigrator(pool).Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("migrate: river: %w", err)
	}
	for _, v := range riverResult.Versions {
		logger.Info("river migration applied", "version", v.Version, "name", v.Name)
	}
	return nil
}

// MigrationStatus describes one migration and whether it has been applied.
type MigrationStatus struct {
	Source  string
	Version int64
	Applied bool
}

// Status lists every migration, ours and River's, with whether it is applied.
func Status(ctx context.Context, pool *pgxpool.Pool) ([]MigrationStatus, error) {
	var out []MigrationStatus
	var exists bool
	if err := pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", Schema).Scan(&exists); err != nil {
		return nil, fmt.Errorf("migrate status: %w", err)
	}
	provider, db, err := newGoose(pool)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if !exists {
		for _, s := range provider.ListSources() {
			out = append(out, MigrationStatus{Source: s.Path, Version: s.Version})
		}
	} else {
		st, err := provider.Status(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrate status: %w", err)
		}
		for _, s := range st {
			out = append(out, MigrationStatus{Source: s.Source.Path, Version: s.Source.Version, Applied: s.State == goose.StateApplied})
		}
	}

	migrator := newRiverMigrator(pool)
	applied := map[int]bool{}
	if exists {
		existing, err := migrator.ExistingVersions(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrate status: river: %w", err)
		}
		for _, m := range existing {
			applied[m.Version] = true
		}
	}
	for _, m := range migrator.AllVersions() {
		out = append(out, MigrationStatus{Source: "river/" + m.Name, Version: int64(m.Version), Applied: applied[m.Version]})
	}
	return out, nil
}

// Fingerprint identifies the full set of migrations (ours and River's). The
// test harness names its template database after it, so a changed migration
// gets a freshly migrated template.
func Fingerprint() string {
	h := sha256.New()
	_ = fs.WalkDir(migrationFiles, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := migrationFiles.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\n%s\n", path, b)
		return nil
	})
	for _, m := range newRiverMigrator(nil).AllVersions() {
		fmt.Fprintf(h, "river %d\n%s\n", m.Version, m.SQLUp)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func newGoose(pool *pgxpool.Pool) (*goose.Provider, *sql.DB, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, nil, err
	}
	store, err := database.NewStore(database.DialectPostgres, Schema+".goose_db_version")
	if err != nil {
		return nil, nil, err
	}
	// A connection of its own with search_path pinned, so migrations create
	// their objects in the backend schema whatever the pool was told.
	cc := pool.Config().ConnConfig.Copy()
	cc.RuntimeParams["search_path"] = Schema
	db := stdlib.OpenDB(*cc)
	p, err := goose.NewProvider("", db, sub, goose.WithStore(store), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		_ = db.Close()
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	return p, db, nil
}

func newRiverMigrator(pool *pgxpool.Pool) *rivermigrate.Migrator[pgx.Tx] {
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: Schema})
	if err != nil {
		// Only an invalid static config gets here.
		panic(err)
	}
	return m
}
