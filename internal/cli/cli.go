// Package cli implements the `galaxy` command line: serve, dev, migrate,
// psql, admin, push, version and help. It parses arguments and environment,
// then hands a validated configuration to the composition root.
//
// Help (`galaxy help`, `galaxy --help`, `galaxy <command> --help`, with the
// flag anywhere among a command's arguments) is printed once, on standard
// output, and succeeds. A command-line mistake returns an error that
// satisfies errors.Is(err, ErrUsage); its message is one line that says what
// is wrong and where to find the command's help, and main prints it on
// standard error and exits with status 2.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
// Errors returned for such mistakes match it with errors.Is and carry their
// own message.
var ErrUsage = errors.New("usage error")

// usageError is a command-line mistake with a message fit to print as is.
type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == ErrUsage }

// usagef returns a command-line mistake (see ErrUsage).
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// ExitError asks main to exit with Code without printing anything: the
// command (psql) has already said what went wrong.
type ExitError struct {
	Code int
}

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

// commandOrder is the order of `galaxy help`: the daily commands first.
var commandOrder = []string{"dev", "serve", "migrate", "psql", "admin", "push", "version"}

func commands() map[string]command {
	return map[string]command{
		"serve":   {"run the backend in production mode (all configuration from BACKEND_* variables)", runServe},
		"dev":     {"run the whole platform locally with embedded defaults (private PostgreSQL)", runDev},
		"migrate": {"apply (up) or list (status) database migrations", runMigrate},
		"psql":    {"open psql on the database (the private one of `galaxy dev`, or BACKEND_POSTGRES_DSN)", runPsql},
		"version": {"print the version", runVersion},
		"push":    {"watch the push stream of a deployment (push tail)", runPush},
		"admin":   {"manage operator accounts (admin create)", runAdmin},
	}
}

// Run executes the command named by args[0].
func Run(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		usage(env.Stderr)
		return usagef("no command given (see 'galaxy help')")
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(env.Stdout)
		return nil
	case "help":
		if len(args) == 1 {
			usage(env.Stdout)
			return nil
		}
		// `galaxy help push tail` is `galaxy push tail --help`.
		return Run(ctx, env, append(append([]string(nil), args[1:]...), "--help"))
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		if strings.HasPrefix(args[0], "-") {
			return usagef("unknown flag %s: flags go after the command (see 'galaxy help')", args[0])
		}
		return usagef("unknown command %q (see 'galaxy help')", args[0])
	}
	return cmd.run(ctx, env, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "galaxy — the Galaxy game platform backend")
	fmt.Fprintln(w, "\nUsage: galaxy <command> [flags]\n\nCommands:")
	cmds := commands()
	for _, n := range commandOrder {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun `galaxy <command> --help` (or `galaxy help <command>`) for a command's flags.")
	fmt.Fprintln(w, "Configuration: docs/configuration.md.")
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// subcommand is one command of a group such as `galaxy push`.
type subcommand struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) error
}

// runGroup dispatches `galaxy <group> <sub> ...` to sub, with the group's own
// help.
func runGroup(ctx context.Context, env Env, group, description string, subs []subcommand, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintf(env.Stdout, "Usage: galaxy %s <command> [flags]\n\n%s\n\nCommands:\n", group, strings.TrimSpace(description))
		for _, s := range subs {
			fmt.Fprintf(env.Stdout, "  %-8s %s\n", s.name, s.summary)
		}
		fmt.Fprintf(env.Stdout, "\nRun `galaxy %s <command> --help` for a command's flags.\n", group)
		return nil
	}
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
		if len(args) > 0 && args[0] == s.name {
			return s.run(ctx, env, args[1:])
		}
	}
	if len(args) == 0 {
		return usagef("%s: missing command, one of: %s (see 'galaxy %s --help')", group, strings.Join(names, ", "), group)
	}
	return usagef("%s: unknown command %q, want one of: %s (see 'galaxy %s --help')",
		group, args[0], strings.Join(names, ", "), group)
}

// flags is the flag set of one command, which knows how to print its help
// and how to word its usage errors.
type flags struct {
	*flag.FlagSet
	name, synopsis, description string
}

// newFlags returns the flag set of command name ("migrate", "push tail").
func newFlags(name, synopsis, description string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package would print errors and usage by itself; parse words
	// them instead, so that nothing is printed twice.
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, name: name, synopsis: synopsis, description: description}
}

// help writes the command's usage, description and flags to w.
func (f *flags) help(w io.Writer) {
	fmt.Fprintf(w, "Usage: galaxy %s\n\n%s\n", f.synopsis, strings.TrimSpace(f.description))
	hasFlags := false
	f.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		f.SetOutput(w)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
}

// errorf returns a usage error of this command.
func (f *flags) errorf(format string, args ...any) error {
	return usagef("%s: %s (see 'galaxy %s --help')", f.name, fmt.Sprintf(format, args...), f.name)
}

// parse parses args, flags and arguments in any order (`migrate up --help`
// asks for help too; everything after "--" is an argument). It returns the
// arguments. With --help it prints the help on standard output and done is
// true: the command has nothing more to do.
func (f *flags) parse(env Env, args []string) (rest []string, done bool, err error) {
	for {
		err := f.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			f.help(env.Stdout)
			return nil, true, nil
		}
		if err != nil {
			return nil, true, f.errorf("%v", err)
		}
		remaining := f.Args()
		if len(remaining) == 0 {
			return rest, false, nil
		}
		if consumed := len(args) - len(remaining); consumed > 0 && args[consumed-1] == "--" {
			return append(rest, remaining...), false, nil
		}
		rest = append(rest, remaining[0])
		args = remaining[1:]
	}
}
