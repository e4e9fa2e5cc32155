// Package tail is a push stream subscriber for operators ("galaxy push
// tail"): it prints every event as one JSON line and, when the stream ends,
// resubscribes with backoff from the last position it printed, so a server
// restart within the same epoch loses nothing and one with a new epoch shows
// up as a resync line.
package tail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"google.golang.org/grpc"

	"github.com/galaxy-platform/galaxy/internal/push/pushclient"
	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

// Options configure Run.
type Options struct {
	// Addr is the push server's host:port.
	Addr string
	// Token is the push bearer token (BACKEND_PUSH_TOKEN).
	Token string
	// Out receives one JSON line per event (see Line).
	Out io.Writer
	// Epoch and Cursor are the last position already seen; empty starts with
	// a resync at the newest event.
	Epoch  string
	Cursor uint64
	// MinBackoff and MaxBackoff bound the wait between reconnections
	// (defaults 200ms and 10s); the wait doubles after each attempt that
	// does not open the stream and starts over once one opens.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// Logger receives connection events; nil discards them.
	Logger *slog.Logger
	// DialOptions are added to the defaults (plaintext, keepalive), e.g.
	// grpc.WithTransportCredentials for TLS.
	DialOptions []grpc.DialOption
}

// Run subscribes and prints events until ctx ends, then returns nil. It
// returns an error only when going on is pointless: the server refuses the
// token (UNAUTHENTICATED, PERMISSION_DENIED), does not serve the push
// service, or Out cannot be written.
func Run(ctx context.Context, o Options) error {
	if o.Out == nil {
		return errors.New("tail: no output writer")
	}
	c, err := pushclient.New(pushclient.Options{
		Addr: o.Addr, Token: o.Token, Epoch: o.Epoch, Cursor: o.Cursor,
		MinBackoff: o.MinBackoff, MaxBackoff: o.MaxBackoff, StopWhenRefused: true,
		Logger: o.Logger, DialOptions: o.DialOptions,
	})
	if err != nil {
		return fmt.Errorf("tail: %w", err)
	}
	defer c.Close()
	err = c.Follow(ctx, func(ev *pushpb.PushEvent) error {
		if err := writeLine(o.Out, ev); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("tail: %w", err)
	}
	return nil
}
