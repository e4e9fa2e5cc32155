package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/admin"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

func runAdmin(ctx context.Context, env Env, args []string) error {
	return runGroup(ctx, env, "admin", "Manages operator accounts in the database of BACKEND_POSTGRES_DSN.",
		[]subcommand{{"create", "create an operator account", runAdminCreate}}, args)
}

func runAdminCreate(ctx context.Context, env Env, args []string) error {
	fs := newFlags("admin create", "admin create --username U [--password-file F]", `
Creates an operator account in the database of BACKEND_POSTGRES_DSN (applying
pending migrations first). The password is read from --password-file, or
else from the first line of standard input; it is never taken as a flag, so
it stays out of shell history and process lists. At least 12 characters.`)
	username := fs.String("username", "", "the admin's `name` (required)")
	passwordFile := fs.String("password-file", "", "read the password from this `file`")
	args, done, err := fs.parse(env, args)
	if done {
		return err
	}
	if len(args) > 0 {
		return fs.errorf("takes no arguments, got %q", args[0])
	}
	if *username == "" {
		return fs.errorf("--username is required")
	}
	password, err := readPassword(env, *passwordFile)
	if err != nil {
		return err
	}
	pool, cfg, logger, err := openDatabase(ctx, env)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool, logger); err != nil {
		return err
	}
	db := &postgres.DB{Pool: pool, OperationTimeout: cfg.Postgres.OperationTimeout}
	if err := admin.CreateAdmin(ctx, db, *username, password, false); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "admin %q created\n", *username)
	return nil
}

func readPassword(env Env, file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", usagef("admin create: no password on standard input (or use --password-file)")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
