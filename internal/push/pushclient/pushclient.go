// Package pushclient follows a backend replica's push stream
// (galaxy.push.v1.Push/SubscribePush) for as long as it is asked to: after
// any disconnect it subscribes again, with backoff, from the epoch and
// cursor of the last event it handed on, so a server restart within the
// same epoch loses nothing and one with a new epoch arrives as a resync
// event. Both `galaxy push tail` and the gateway's live events use it; it
// depends on nothing of the backend but the generated proto.
package pushclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"google.golang.org/grpc"
	grpcbackoff "google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

// Backoff defaults.
const (
	// DefaultMinBackoff is the first wait before subscribing again.
	DefaultMinBackoff = 200 * time.Millisecond
	// DefaultMaxBackoff caps the wait: a replica that comes back is
	// followed again within this long.
	DefaultMaxBackoff = 10 * time.Second
)

// keepaliveTime is how often an idle connection is pinged, so that a dead
// replica is noticed. The push server answers pings more frequent than
// every 10 s with GOAWAY.
const keepaliveTime = 30 * time.Second

// Options configure a Client.
type Options struct {
	// Addr is the push server's host:port.
	Addr string
	// Token is the push bearer token (BACKEND_PUSH_TOKEN).
	Token string
	// Epoch and Cursor are the last position already seen; empty starts
	// with a resync at the newest event.
	Epoch  string
	Cursor uint64
	// MinBackoff and MaxBackoff bound the wait between subscriptions: it
	// doubles after each attempt that does not open the stream, with
	// jitter, and starts over once one opens. Non-positive values take
	// the defaults.
	MinBackoff, MaxBackoff time.Duration
	// StopWhenRefused makes Follow return when the server refuses the
	// subscription for good (wrong token, not a push server); otherwise it
	// keeps trying every MaxBackoff, as the backend may be redeployed.
	StopWhenRefused bool
	// Logger receives connection events; nil discards them.
	Logger *slog.Logger
	// DialOptions are added to the defaults (plaintext, keepalive,
	// reconnection backoff), e.g. TLS credentials.
	DialOptions []grpc.DialOption
}

// Client follows one push stream. Build it with New.
type Client struct {
	o      Options
	conn   *grpc.ClientConn
	client pushpb.PushClient

	mu     sync.Mutex // guards the position
	epoch  string
	cursor uint64
}

// New prepares a client; it fails only for an unusable address. Nothing
// connects until Follow.
func New(o Options) (*Client, error) {
	if o.MinBackoff <= 0 {
		o.MinBackoff = DefaultMinBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	o.MaxBackoff = max(o.MaxBackoff, o.MinBackoff)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	dial := append([]grpc.DialOption{
		// The push stream runs on the private network (DESIGN.md).
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: keepaliveTime, Timeout: 10 * time.Second}),
		// Reconnect as eagerly as Follow's own loop: gRPC's default backoff
		// grows to two minutes, far longer than a replica restart.
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff: grpcbackoff.Config{
				BaseDelay: o.MinBackoff, Multiplier: 1.6, Jitter: 0.2, MaxDelay: o.MaxBackoff,
			},
			MinConnectTimeout: 5 * time.Second,
		}),
	}, o.DialOptions...)
	conn, err := grpc.NewClient(o.Addr, dial...)
	if err != nil {
		return nil, fmt.Errorf("push address %q: %w", o.Addr, err)
	}
	return &Client{o: o, conn: conn, client: pushpb.NewPushClient(conn), epoch: o.Epoch, cursor: o.Cursor}, nil
}

// Close closes the connection (after Follow returned).
func (c *Client) Close() error { return c.conn.Close() }

// Position returns the epoch and cursor of the last event handed on; the
// next subscription resumes from there.
func (c *Client) Position() (epoch string, cursor uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch, c.cursor
}

// Follow subscribes again and again until ctx ends (then it returns nil),
// handing every event to handle in order, at most once each. opened, when
// not nil, is told each time the stream opens (true) and ends (false).
// Follow returns an error only when handle does, or when the server
// refuses for good and Options.StopWhenRefused is set.
func (c *Client) Follow(ctx context.Context, handle func(*pushpb.PushEvent) error, opened func(bool)) error {
	if opened == nil {
		opened = func(bool) {}
	}
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+c.o.Token)
	failures := 0
	for {
		wasOpen, err := c.subscribe(ctx, handle, opened)
		opened(false)
		if ctx.Err() != nil {
			return nil //nolint:nilerr // the caller ended the stream: not a failure
		}
		var herr *handleError
		if errors.As(err, &herr) {
			return herr.err
		}
		if wasOpen {
			failures = 0 // the replica was fine; this is a fresh outage
		}
		failures++
		wait := backoff.Delay(failures, c.o.MinBackoff, c.o.MaxBackoff)
		epoch, cursor := c.Position()
		if Permanent(err) {
			if c.o.StopWhenRefused {
				return err
			}
			// Misconfiguration: retrying fast cannot help, but the backend
			// may be redeployed.
			wait = c.o.MaxBackoff
			c.o.Logger.ErrorContext(ctx, "push subscription refused; retrying", "error", err, "in", wait.String())
		} else {
			c.o.Logger.WarnContext(ctx, "push stream ended; resubscribing",
				"error", err, "epoch", epoch, "cursor", cursor, "in", wait.String())
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// subscribe runs one subscription from the current position and returns
// whether it opened and why it ended.
func (c *Client) subscribe(ctx context.Context, handle func(*pushpb.PushEvent) error, opened func(bool)) (bool, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // frees the stream whatever ended it
	epoch, cursor := c.Position()
	// WaitForReady: while the replica is down, wait for its connection
	// (gRPC redials with its own backoff) instead of failing at once.
	stream, err := c.client.SubscribePush(ctx,
		&pushpb.SubscribePushRequest{Epoch: epoch, Cursor: cursor}, grpc.WaitForReady(true))
	if err != nil {
		return false, err
	}
	// The server sends headers as soon as it has registered the
	// subscription, before any event; an error answer has none (nil md),
	// and Recv then returns the status.
	if md, _ := stream.Header(); md == nil {
		_, err := stream.Recv()
		return false, streamEnd(err)
	}
	opened(true)
	c.o.Logger.InfoContext(ctx, "push subscription open", "epoch", epoch, "cursor", cursor)
	for {
		ev, err := stream.Recv()
		if err != nil {
			return true, streamEnd(err)
		}
		if err := c.deliver(ctx, ev, handle); err != nil {
			return true, err
		}
	}
}

// deliver hands ev on and records it as the position to resume from (a
// resync event is a position too: resuming from it is what the server
// asks for).
func (c *Client) deliver(ctx context.Context, ev *pushpb.PushEvent, handle func(*pushpb.PushEvent) error) error {
	epoch, cursor := c.Position()
	if !ev.GetResync() && ev.GetEpoch() == epoch && ev.GetCursor() <= cursor {
		// The server guarantees no duplicates; this guard keeps a broken
		// server from showing an event twice.
		c.o.Logger.WarnContext(ctx, "push event already handled; skipped",
			"epoch", epoch, "cursor", ev.GetCursor(), "last_cursor", cursor)
		return nil
	}
	if err := handle(ev); err != nil {
		return &handleError{err}
	}
	c.mu.Lock()
	c.epoch, c.cursor = ev.GetEpoch(), ev.GetCursor()
	c.mu.Unlock()
	return nil
}

// handleError is the handler's refusal, which ends Follow.
type handleError struct{ err error }

func (e *handleError) Error() string { return e.err.Error() }
func (e *handleError) Unwrap() error { return e.err }

// streamEnd makes a clean end of stream an error: the server never ends a
// subscription without one, so it means the stream was lost.
func streamEnd(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("push stream ended by the server")
	}
	return err
}

// Permanent reports whether subscribing again cannot help soon: the server
// refuses the token, or does not serve the push service.
func Permanent(err error) bool {
	switch status.Code(err) {
	case codes.Unauthenticated, codes.PermissionDenied, codes.Unimplemented, codes.InvalidArgument:
		return true
	}
	return false
}
