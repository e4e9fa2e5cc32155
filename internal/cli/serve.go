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
	fs := newFlags("serve", "serve", `
Runs the backend for production. Every setting comes from BACKEND_* environment
variables (see docs/configuration.md); BACKEND_POSTGRES_DSN is required.
Migrations are applied before any listener binds. SIGINT or SIGTERM starts an
orderly shutdown bounded by BACKEND_SHUTDOWN_TIMEOUT.`)
	args, done, err := fs.parse(env, args)
	if done {
		return err
	}
	if len(args) > 0 {
		return fs.errorf("takes no arguments, got %q", args[0])
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
	fs := newFlags("version", "version", "Prints the version of this binary.")
	args, done, err := fs.parse(env, args)
	if done {
		return err
	}
	if len(args) > 0 {
		return fs.errorf("takes no arguments, got %q", args[0])
	}
	fmt.Fprintln(env.Stdout, buildinfo.Version())
	return nil
}
