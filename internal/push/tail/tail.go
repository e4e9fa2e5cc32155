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
	"math/rand/v2"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

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
	// (defaults 200ms and 10s); the wait doubles after each failed attempt
	// and starts over once an event arrives.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// Logger receives connection events; nil discards them.
	Logger *slog.Logger
	// DialOptions are added to the defaults (plaintext, keepalive), e.g.
	// grpc.WithTransportCredentials for TLS.
	DialOptions []grpc.DialOption
}

func (o Options) withDefaults() Options {
	if o.MinBackoff <= 0 {
		o.MinBackoff = 200 * time.Millisecond
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(10*time.Second, o.MinBackoff)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Run subscribes and prints events until ctx ends, then returns nil. It
// returns an error only when going on is pointless: the server refuses the
// token (UNAUTHENTICATED, PERMISSION_DENIED), does not serve the push
// service, or Out cannot be written.
func Run(ctx context.Context, o Options) error {
	o = o.withDefaults()
	if o.Out == nil {
		return errors.New("tail: no output writer")
	}
	dial := append([]grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		// The server permits pings every 10s or more.
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: 30 * time.Second, Timeout: 10 * time.Second}),
		// Reconnect as eagerly as our own loop does: the default grpc
		// backoff grows to two minutes.
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff: backoff.Config{
				BaseDelay: o.MinBackoff, Multiplier: 1.6, Jitter: 0.2, MaxDelay: o.MaxBackoff,
			},
			MinConnectTimeout: 5 * time.Second,
		}),
	}, o.DialOptions...)
	conn, err := grpc.NewClient(o.Addr, dial...)
	if err != nil {
		return fmt.Errorf("tail: %w", err)
	}
	defer conn.Close()
	client := pushpb.NewPushClient(conn)
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+o.Token)

	t := &tailer{client: client, out: o.Out, epoch: o.Epoch, cursor: o.Cursor}
	wait := o.MinBackoff
	for {
		got, err := t.subscribe(ctx)
		if ctx.Err() != nil {
			return nil
		}
		var werr *writeError
		if errors.As(err, &werr) || permanent(err) {
			return fmt.Errorf("tail: %w", err)
		}
		if got > 0 {
			wait = o.MinBackoff
		}
		// Full jitter in [wait/2, wait], so many tails do not reconnect in
		// lockstep after a restart.
		d := wait/2 + rand.N(wait/2+1) //nolint:gosec // jitter needs no unpredictability
		o.Logger.WarnContext(ctx, "push stream ended; resubscribing",
			"error", err, "epoch", t.epoch, "cursor", t.cursor, "in", d.String())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(d):
		}
		wait = min(2*wait, o.MaxBackoff)
	}
}

// tailer holds the position of the last event printed.
type tailer struct {
	client pushpb.PushClient
	out    io.Writer
	epoch  string
	cursor uint64
}

// subscribe runs one subscription from the current position and returns how
// many events it printed and why it ended.
func (t *tailer) subscribe(ctx context.Context) (int, error) {
	// WaitForReady: while the server is down, wait for the connection
	// instead of failing at once.
	stream, err := t.client.SubscribePush(ctx,
		&pushpb.SubscribePushRequest{Epoch: t.epoch, Cursor: t.cursor}, grpc.WaitForReady(true))
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		ev, err := stream.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = errors.New("stream ended by the server")
			}
			return n, err
		}
		if err := writeLine(t.out, ev); err != nil {
			return n, &writeError{err}
		}
		// A resync event is a position too: resuming from it is exactly
		// what the server asks for.
		t.epoch, t.cursor = ev.GetEpoch(), ev.GetCursor()
		n++
	}
}

// permanent reports whether retrying cannot help.
func permanent(err error) bool {
	switch status.Code(err) {
	case codes.Unauthenticated, codes.PermissionDenied, codes.Unimplemented, codes.InvalidArgument:
		return true
	}
	return false
}

// writeError is a failure to write Out, which ends Run.
type writeError struct{ err error }

func (e *writeError) Error() string { return "write output: " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }
