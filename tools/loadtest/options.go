package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// options are the command-line settings of one run.
type options struct {
	Players   int
	GameSize  int
	Duration  time.Duration
	Think     time.Duration
	TurnEvery time.Duration
	// Final is the share of order sets sent as final; when every player of
	// a game is final, its turn runs at once.
	Final float64

	// Base targets a running platform instead of starting one.
	Base          string
	AdminUser     string
	AdminPassword string
	InternalToken string

	// DSN is a database for the self-contained platform instead of a
	// private cluster (the tests use one from the shared test cluster).
	DSN string
	// Verbose copies the self-contained platform's logs to standard error.
	Verbose bool
}

// parseOptions reads the flags; lookupEnv supplies the secrets `galaxy dev`
// prints as exports, so they need not appear on a command line.
func parseOptions(args []string, lookupEnv func(string) (string, bool), stderr io.Writer) (options, error) {
	env := func(name string) string { v, _ := lookupEnv(name); return v }
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: loadtest [flags]

Simulates players on the whole Galaxy platform over its HTTP API: each signs
in with the code mailed to it, joins one of the games the run creates, and
until the run ends reads the lobby, its notifications and reports, and sends
the orders the built-in bot writes, while turns run. Prints the figures of
every route and exits 1 if anything unexpected happened.

By default it starts its own platform (as 'galaxy dev' does, on 127.0.0.1,
with a private PostgreSQL and mail into an in-process SMTP server). BACKEND_*
variables tune that platform as they tune 'galaxy dev'. With -base it loads a
running platform instead: sign-in codes are read through the internal API
(-internal-token) and turns are forced through the admin API (-admin-user,
-admin-password).

`)
		fs.PrintDefaults()
	}
	fs.IntVar(&o.Players, "players", 50, "simulated players")
	fs.IntVar(&o.GameSize, "game-size", 10, "players per game (the last game takes the remainder)")
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, "length of the run, sign-in and game set-up included")
	fs.DurationVar(&o.Think, "think", 250*time.Millisecond, "mean pause of a player between two actions (0: none)")
	fs.DurationVar(&o.TurnEvery, "turn-every", 3*time.Second, "force each game's next turn this often through the admin API (0: never)")
	fs.Float64Var(&o.Final, "final", 0.9, "share of order sets sent as final (a game whose players are all final runs its turn at once)")
	fs.StringVar(&o.Base, "base", "", "URL of a running platform's API (e.g. http://127.0.0.1:8080) instead of starting one")
	fs.StringVar(&o.AdminUser, "admin-user", "admin", "with -base: the admin who forces turns")
	// Secrets default to the environment after parsing, so -h never shows them.
	fs.StringVar(&o.AdminPassword, "admin-password", "", "with -base: that admin's password (default $BACKEND_DEV_ADMIN_PASSWORD)")
	fs.StringVar(&o.InternalToken, "internal-token", "", "with -base: the internal token, to read sign-in codes (default $BACKEND_INTERNAL_TOKEN)")
	fs.StringVar(&o.DSN, "dsn", "", "without -base: an existing database for the platform instead of a private PostgreSQL")
	fs.BoolVar(&o.Verbose, "v", false, "without -base: copy the platform's logs to standard error")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("loadtest takes no arguments, got %q", fs.Arg(0))
	}
	if o.AdminPassword == "" {
		o.AdminPassword = env("BACKEND_DEV_ADMIN_PASSWORD")
	}
	if o.InternalToken == "" {
		o.InternalToken = env("BACKEND_INTERNAL_TOKEN")
	}
	return o, o.validate()
}

// validate reports every bad setting at once.
func (o options) validate() error {
	var problems []error
	if o.Players < 2 {
		problems = append(problems, errors.New("-players must be at least 2"))
	}
	if o.GameSize < 2 || o.GameSize > 199 {
		// 199, so that the last game can take one player more (200 races).
		problems = append(problems, errors.New("-game-size must be between 2 and 199"))
	}
	if o.Duration <= 0 {
		problems = append(problems, errors.New("-duration must be positive"))
	}
	if o.Think < 0 || o.TurnEvery < 0 {
		problems = append(problems, errors.New("-think and -turn-every must not be negative"))
	}
	if o.Final < 0 || o.Final > 1 {
		problems = append(problems, errors.New("-final must be between 0 and 1"))
	}
	if o.Base != "" && (o.AdminPassword == "" || o.InternalToken == "") {
		problems = append(problems, errors.New("-base needs -admin-password and -internal-token "+
			"(or BACKEND_DEV_ADMIN_PASSWORD and BACKEND_INTERNAL_TOKEN, as 'galaxy dev' prints them)"))
	}
	if o.Base != "" && o.DSN != "" {
		problems = append(problems, errors.New("-dsn is for the platform loadtest starts, not for -base"))
	}
	return errors.Join(problems...)
}

// games returns how many players each game has: GameSize each, the last
// one taking the remainder, or the one before it taking a single player
// left over (a game needs two).
func (o options) games() []int {
	var sizes []int
	for left := o.Players; left > 0; {
		n := min(o.GameSize, left)
		if n < 2 && len(sizes) > 0 {
			sizes[len(sizes)-1] += n
			break
		}
		sizes = append(sizes, n)
		left -= n
	}
	return sizes
}
