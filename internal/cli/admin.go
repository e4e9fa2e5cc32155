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
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: galaxy admin create --username U [--password-file F]")
			return nil
		}
		return fmt.Errorf("%w: usage: galaxy admin create --username U [--password-file F]", ErrUsage)
	}
	fs := newFlags(env, "admin create", "admin create --username U [--password-file F]", `
Creates an operator account in the database of BACKEND_POSTGRES_DSN (applying
pending migrations first). The password is read from --password-file, or
else from the first line of standard input; it is never taken as a flag, so
it stays out of shell history and process lists. At least 12 characters.`)
	username := fs.String("username", "", "the admin's `name` (required)")
	passwordFile := fs.String("password-file", "", "read the password from this `file`")
	if done, err := parse(fs, env, args[1:]); done {
		return err
	}
	if *username == "" {
		return fmt.Errorf("%w: --username is required", ErrUsage)
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
		return "", fmt.Errorf("%w: no password on standard input (or use --password-file)", ErrUsage)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
