// Command galaxy-engine runs the game engine of one Galaxy game: a small HTTP
// server (see internal/engine) that the backend initialises, asks to check
// orders and to run turns. One process serves one game.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/galaxy-platform/galaxy/internal/buildinfo"
	"github.com/galaxy-platform/galaxy/internal/engine"
)

// errUsage marks a command-line mistake; the usage text was already printed.
var errUsage = errors.New("usage error")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "galaxy-engine:", err)
		}
		os.Exit(1)
	}
}

// usage is printed by --help.
const usage = `Usage: galaxy-engine [version | --help]

Runs the Galaxy game engine for one game. The server answers GET /healthz,
POST /admin/init, POST /admin/turn and POST /orders/check.

`

// run is the whole program; main only turns its error into an exit code.
// Logs go to stdout as JSON, one object per line.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			fmt.Fprint(stdout, usage+envHelp)
			return nil
		case "version", "--version":
			fmt.Fprintln(stdout, "galaxy-engine", buildinfo.Version())
			return nil
		default:
			fmt.Fprintf(stderr, "galaxy-engine: unknown argument %q\n\n%s%s", args[0], usage, envHelp)
			return errUsage
		}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel})).
		With("service", "galaxy-engine", "version", buildinfo.Version())

	srv, err := engine.NewServer(engine.Config{
		Addr: cfg.Addr, Token: cfg.Token, StateDir: cfg.StateDir, Logger: log,
	})
	if err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	case serveErr = <-srv.Err():
		log.Error("server failed", "err", serveErr)
	}
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	return errors.Join(serveErr, srv.Stop(stopCtx))
}
