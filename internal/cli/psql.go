package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/pgcluster"
)

const psqlHelp = `
Runs psql on the backend's database, with the remaining arguments passed to
psql as they are (galaxy psql -c "SELECT ..."; put -- first to pass psql an
argument galaxy would read, such as --help).

The database is BACKEND_POSTGRES_DSN when it is set, else the private
PostgreSQL that 'galaxy dev' runs: run this in the directory where you ran
'galaxy dev', with the same GALAXY_HOME, while it runs. Tables are in the
'backend' schema. The exit status is psql's.`

func runPsql(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintf(env.Stdout, "Usage: galaxy psql [--] [psql arguments]\n%s\n", psqlHelp)
		return nil
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	dsn, err := psqlDSN(ctx, env)
	if err != nil {
		return err
	}
	bin, err := pgcluster.Tool("psql")
	if err != nil {
		return err
	}
	// Not cancelled with ctx: Ctrl-C cancels psql's query (the terminal
	// signals psql itself), it must not kill psql.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), bin, append([]string{"-d", dsn}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = env.Stdin, env.Stdout, env.Stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code := exit.ExitCode()
		if code <= 0 {
			code = 1 // killed by a signal
		}
		return &ExitError{Code: code}
	}
	return err
}

// psqlDSN returns BACKEND_POSTGRES_DSN, or the connection string of the
// running private cluster of `galaxy dev`.
func psqlDSN(ctx context.Context, env Env) (string, error) {
	cfg, err := config.Load(config.ModeDev, env.LookupEnv)
	if err != nil {
		return "", err
	}
	if cfg.Postgres.DSN != "" {
		return cfg.Postgres.DSN, nil
	}
	cluster, err := devCluster(cfg.Home, io.Discard)
	if err != nil {
		return "", err
	}
	if !cluster.Running(ctx) {
		return "", fmt.Errorf("the private PostgreSQL of `galaxy dev` (%s) is not running: start `galaxy dev` "+
			"(in the same directory, with the same GALAXY_HOME), or set BACKEND_POSTGRES_DSN", cluster.Dir())
	}
	return cluster.DSN("postgres"), nil
}
