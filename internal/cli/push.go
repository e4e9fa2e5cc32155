package cli

import (
	"context"
	"strconv"

	"github.com/galaxy-platform/galaxy/internal/push/tail"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

func runPush(ctx context.Context, env Env, args []string) error {
	return runGroup(ctx, env, "push", "Tools for a deployment's push stream (the gRPC stream gateways subscribe to).",
		[]subcommand{{"tail", "print every event of the push stream as one JSON line", runPushTail}}, args)
}

func runPushTail(ctx context.Context, env Env, args []string) error {
	fs := newFlags("push tail", "push tail [--addr host:port] [--token T] [--epoch E --cursor N]", `
Subscribes to the gRPC push stream and prints every event as one JSON line
(epoch, cursor, user_ids, kind, payload, created_at, resync). On a lost
connection it reconnects with backoff and resumes from the last event it
printed; a resync line means events were missed (new epoch or evicted cursor).
The token defaults to BACKEND_PUSH_TOKEN. Stops on Ctrl-C.`)
	addr := fs.String("addr", "localhost:8081", "push server `host:port`")
	token := fs.String("token", "", "push bearer token (default: $BACKEND_PUSH_TOKEN)")
	epoch := fs.String("epoch", "", "resume after this epoch ...")
	cursor := fs.String("cursor", "0", "... and this cursor")
	args, done, err := fs.parse(env, args)
	if done {
		return err
	}
	if len(args) > 0 {
		return fs.errorf("takes no arguments, got %q", args[0])
	}
	if *token == "" {
		*token, _ = env.LookupEnv("BACKEND_PUSH_TOKEN")
	}
	if *token == "" {
		return fs.errorf("a token is required (--token or BACKEND_PUSH_TOKEN)")
	}
	c, err := strconv.ParseUint(*cursor, 10, 64)
	if err != nil {
		return fs.errorf("--cursor: want a whole number, got %q", *cursor)
	}
	return tail.Run(ctx, tail.Options{
		Addr: *addr, Token: *token, Out: env.Stdout, Epoch: *epoch, Cursor: c,
		Logger: telemetry.NewLogger(env.Stderr, "info"),
	})
}
