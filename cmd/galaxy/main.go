// Command galaxy is the Galaxy platform backend: `galaxy serve` in
// production, `galaxy dev` on a developer's machine. See `galaxy help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/galaxy-platform/galaxy/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err on stderr and returns the exit status: 0 for
// success (help included), 2 for a command-line mistake, the status a
// command asked for (psql's own), 1 for any other failure.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var exit *cli.ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	fmt.Fprintln(stderr, "galaxy:", err)
	if errors.Is(err, cli.ErrUsage) {
		return 2
	}
	return 1
}

func run(ctx context.Context) error {
	return cli.Run(ctx, cli.Env{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		LookupEnv: os.LookupEnv,
	}, os.Args[1:])
}
