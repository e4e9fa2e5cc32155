// Package cli implements the `galaxy` command line: serve, dev, migrate,
// version and help. It parses arguments and environment, then hands a
// validated configuration to the composition root.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Env is the process environment the commands run in, injected so tests can
// run commands without touching the real process state.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// LookupEnv reads an environment variable (os.LookupEnv).
	LookupEnv func(string) (string, bool)
}

// ErrUsage marks a command-line mistake; main exits with status 2 for it.
var ErrUsage = errors.New("usage error")

type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":   {"run the backend in production mode (all configuration from BACKEND_* variables)", runServe},
		"dev":     {"run the whole platform locally with embedded defaults (private PostgreSQL)", runDev},
		"migrate": {"apply (up) or list (status) database migrations", runMigrate},
		"version": {"print the version", runVersion},
		"push":    {"watch the push stream of a deployment (push tail)", runPush},
		"admin":   {"manage operator accounts (admin create)", runAdmin},
	}
}

// Run executes the command named by args[0].
func Run(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return ErrUsage
		}
		return nil
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		usage(env.Stderr)
		return fmt.Errorf("%w: unknown command %q", ErrUsage, args[0])
	}
	return cmd.run(ctx, env, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "galaxy — the Galaxy game platform backend")
	fmt.Fprintln(w, "\nUsage: galaxy <command> [flags]\n\nCommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun `galaxy <command> --help` for a command's flags. Configuration: docs/configuration.md.")
}

// newFlags returns a flag set whose --help prints the command's description.
func newFlags(env Env, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: galaxy %s\n\n%s\n", synopsis, strings.TrimSpace(description))
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(out, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args; --help prints usage to stdout and ends the command
// successfully.
func parse(fs *flag.FlagSet, env Env, args []string) (done bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(env.Stdout)
		fs.Usage()
		return true, nil
	}
	if err != nil {
		return true, fmt.Errorf("%w: %w", ErrUsage, err)
	}
	return false, nil
}
