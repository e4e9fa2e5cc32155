// Command loadtest loads the whole Galaxy platform the way its players do,
// over the public HTTP API, and prints the figures of every route (count,
// p50, p99, max, non-2xx answers by status), the throughput and the turns
// run meanwhile. It exits 1 when anything unexpected happened, so that a
// short run doubles as a smoke test of the platform (issue #19).
//
// By default it starts its own platform, as `galaxy dev` does (private
// PostgreSQL, in-process engines, 127.0.0.1 only), with its mail going to an
// in-process SMTP server from which the players read their sign-in codes.
// With -base it loads a running platform instead. `make loadtest` runs it
// with the defaults; `go run ./tools/loadtest -h` lists the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the flags, runs the load and prints the report. It returns
// the exit status: 0 when all went as expected, 1 when anything unexpected
// happened or the run could not take place, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseOptions(args, os.LookupEnv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	s, err := load(ctx, o, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 1
	}
	s.print(stdout)
	if s.failed() {
		return 1
	}
	return 0
}
