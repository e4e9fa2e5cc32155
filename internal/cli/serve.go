package cli

import (
	"context"
	"fmt"

	"github.com/galaxy-platform/galaxy/internal/app"
	"github.com/galaxy-platform/galaxy/internal/buildinfo"
	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "serve", "serve", `
Runs the backend for production. Every setting comes from BACKEND_* environment
variables (see docs/configuration.md); BACKEND_POSTGRES_DSN is required.
Migrations are applied before any listener binds. SIGINT or SIGTERM starts an
orderly shutdown bounded by BACKEND_SHUTDOWN_TIMEOUT.`)
	if done, err := parse(fs, env, args); done {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: serve takes no arguments", ErrUsage)
	}
	cfg, err := config.Load(config.ModeServe, env.LookupEnv)
	if err != nil {
		return err
	}
	logger := telemetry.NewLogger(env.Stderr, cfg.LogLevel)
	logger.Info("galaxy starting", "mode", cfg.Mode.String(), "version", buildinfo.Version())
	return app.New(cfg, logger, app.Options{Version: buildinfo.Version()}).Run(ctx)
}

func runVersion(_ context.Context, env Env, args []string) error {
	fs := newFlags(env, "version", "version", "Prints the version of this binary.")
	if done, err := parse(fs, env, args); done {
		return err
	}
	fmt.Fprintln(env.Stdout, buildinfo.Version())
	return nil
}
