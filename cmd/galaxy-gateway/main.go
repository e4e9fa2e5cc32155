// Command galaxy-gateway is the front door for people: the player web client
// and the operator console, with live updates from the backend's push
// stream. It is configured by GATEWAY_* variables (docs/configuration.md)
// and talks to the backend only through its public API.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/galaxy-platform/galaxy/internal/gateway"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "galaxy-gateway:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := gateway.LoadConfig(os.LookupEnv)
	if err != nil {
		return err
	}
	logger := gateway.NewLogger(os.Stderr, cfg.LogLevel)
	g, err := gateway.New(cfg, logger)
	if err != nil {
		return err
	}
	return g.Run(ctx, func(addr fmt.Stringer) {
		logger.Info("galaxy-gateway ready", slog.String("addr", addr.String()))
	})
}
