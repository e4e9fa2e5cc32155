package cli

import (
	"context"
	"fmt"
	"strconv"

	"github.com/galaxy-platform/galaxy/internal/push/tail"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

func runPush(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "tail" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: galaxy push tail [flags]\n\nWatches a deployment's push stream. See `galaxy push tail --help`.")
			return nil
		}
		return fmt.Errorf("%w: usage: galaxy push tail [flags]", ErrUsage)
	}
	fs := newFlags(env, "push tail", "push tail [--addr host:port] [--token T] [--epoch E --cursor N]", `
Subscribes to the gRPC push stream and prints every event as one JSON line
(epoch, cursor, user_ids, kind, payload, created_at, resync). On a lost
connection it reconnects with backoff and resumes from the last event it
printed; a resync line means events were missed (new epoch or evicted cursor).
The token defaults to BACKEND_PUSH_TOKEN. Stops on Ctrl-C.`)
	addr := fs.String("addr", "localhost:8081", "push server `host:port`")
	token := fs.String("token", "", "push bearer token (default: $BACKEND_PUSH_TOKEN)")
	epoch := fs.String("epoch", "", "resume after this epoch ...")
	cursor := fs.String("cursor", "0", "... and this cursor")
	if done, err := parse(fs, env, args[1:]); done {
		return err
	}
	if *token == "" {
		*token, _ = env.LookupEnv("BACKEND_PUSH_TOKEN")
	}
	if *token == "" {
		return fmt.Errorf("%w: a token is required (--token or BACKEND_PUSH_TOKEN)", ErrUsage)
	}
	c, err := strconv.ParseUint(*cursor, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: --cursor: %w", ErrUsage, err)
	}
	return tail.Run(ctx, tail.Options{
		Addr: *addr, Token: *token, Out: env.Stdout, Epoch: *epoch, Cursor: c,
		Logger: telemetry.NewLogger(env.Stderr, "info"),
	})
}
