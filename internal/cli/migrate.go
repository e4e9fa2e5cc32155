package cli

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

func runMigrate(ctx context.Context, env Env, args []string) error {
	fs := newFlags("migrate", "migrate up|status", `
Applies pending migrations (up) or lists every migration and whether it is
applied (status), ours and River's, against BACKEND_POSTGRES_DSN. 'galaxy serve'
and 'galaxy dev' migrate by themselves at start; this command is for operators
who migrate ahead of a deployment.`)
	args, done, err := fs.parse(env, args)
	if done {
		return err
	}
	switch {
	case len(args) == 0:
		return fs.errorf("missing argument: up or status")
	case len(args) > 1 || (args[0] != "up" && args[0] != "status"):
		return fs.errorf("want one argument, up or status, got %q", strings.Join(args, " "))
	}
	pool, _, logger, err := openDatabase(ctx, env)
	if err != nil {
		return err
	}
	defer pool.Close()

	if args[0] == "up" {
		if err := postgres.Migrate(ctx, pool, logger); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "migrations applied")
		return nil
	}
	status, err := postgres.Status(ctx, pool)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tSTATE\tSOURCE")
	for _, s := range status {
		state := "pending"
		if s.Applied {
			state = "applied"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", s.Version, state, s.Source)
	}
	return tw.Flush()
}

// openDatabase loads the configuration of the database commands (only the
// database is required) and opens the pool.
func openDatabase(ctx context.Context, env Env) (*pgxpool.Pool, *config.Config, *slog.Logger, error) {
	cfg, err := config.Load(config.ModeMigrate, env.LookupEnv)
	if err != nil {
		return nil, nil, nil, err
	}
	logger := telemetry.NewLogger(env.Stderr, cfg.LogLevel)
	pool, err := postgres.Open(ctx, cfg.Postgres, logger)
	if err != nil {
		return nil, nil, nil, err
	}
	return pool, cfg, logger, nil
}
