// Package postgres owns the connection pool, the schema migrations (ours and
// River's), the transaction helper and the translation of PostgreSQL errors
// into the platform's error codes.
//
// Every table lives in the `backend` schema; the pool sets search_path so that
// queries never need to qualify names.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/config"
)

// Schema is the PostgreSQL schema that holds every backend table.
const Schema = "backend"

// Open builds a pool from cfg and waits (up to cfg.ConnectTimeout) until the
// database answers a ping, so that a database starting next to the backend does
// not fail the deployment.
func Open(ctx context.Context, cfg config.Postgres, logger *slog.Logger) (*pgxpool.Pool, error) {
	pcfg, err := pgxpool.ParseConfig(cfg.DSN)
	if err != nil {
		// The DSN may hold a password: do not echo it.
		return nil, errors.New("BACKEND_POSTGRES_DSN: cannot parse the connection string")
	}
	pcfg.MaxConns = int32(cfg.MaxConns)
	pcfg.MinConns = int32(cfg.MinConns)
	pcfg.ConnConfig.RuntimeParams["search_path"] = Schema
	pcfg.ConnConfig.RuntimeParams["application_name"] = "galaxy"
	pcfg.ConnConfig.Tracer = otelpgx.NewTracer()

	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pingUntil(ctx, pool, cfg.ConnectTimeout, logger); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

func pingUntil(ctx context.Context, pool *pgxpool.Pool, timeout time.Duration, logger *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	delay := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := pool.Ping(ctx)
		if err == nil {
			return nil
		}
		if attempt == 1 || attempt%10 == 0 {
			logger.Warn("postgres not reachable yet", "attempt", attempt, "error", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres: not reachable within %s (BACKEND_POSTGRES_CONNECT_TIMEOUT): %w", timeout, err)
		case <-time.After(delay):
		}
		delay = min(delay*2, 2*time.Second)
	}
}
