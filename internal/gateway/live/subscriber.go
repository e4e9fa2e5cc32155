package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
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

// Subscriber defaults.
const (
	// DefaultMinBackoff is the first wait before resubscribing.
	DefaultMinBackoff = 200 * time.Millisecond
	// DefaultMaxBackoff caps the wait: a replica that comes back is
	// followed again within this long.
	DefaultMaxBackoff = 10 * time.Second
)

// keepaliveTime is how often an idle connection is pinged, so that a dead
// replica is noticed. The push server answers pings more frequent than
// every 10 s with GOAWAY.
const keepaliveTime = 30 * time.Second

// Subscriber follows the push stream of one backend replica and publishes
// each event to a Hub, resuming from the last event it saw after any
// disconnect. It is a lifecycle component: Start returns at once and the
// stream is (re)opened in the background until Stop.
type Subscriber struct {
	addr     string
	token    string
	hub      *Hub
	logger   *slog.Logger
	minWait  time.Duration
	maxWait  time.Duration
	dialOpts []grpc.DialOption

	open atomic.Bool

	mu     sync.Mutex // guards the position
	epoch  string
	cursor uint64

	conn   *grpc.ClientConn
	cancel context.CancelFunc
	done   chan struct{}
}

// SubscriberOption configures a Subscriber.
type SubscriberOption func(*Subscriber)

// WithBackoff bounds the wait between resubscriptions (defaults
// DefaultMinBackoff and DefaultMaxBackoff): it doubles from minWait after
// each attempt that does not open the stream, up to maxWait, with jitter
// so that gateways do not all come back at once. Non-positive values keep
// the defaults.
func WithBackoff(minWait, maxWait time.Duration) SubscriberOption {
	return func(s *Subscriber) {
		if minWait > 0 {
			s.minWait = minWait
		}
		if maxWait > 0 {
			s.maxWait = maxWait
		}
	}
}

// WithDialOptions adds gRPC dial options after the defaults (plaintext,
// keepalive, reconnection backoff), e.g. TLS credentials.
func WithDialOptions(opts ...grpc.DialOption) SubscriberOption {
	return func(s *Subscriber) { s.dialOpts = append(s.dialOpts, opts...) }
}

// NewSubscriber returns a Subscriber of the push stream at addr
// (host:port), authenticated with token, publishing to hub. A nil logger
// discards logs.
func NewSubscriber(addr, token string, hub *Hub, logger *slog.Logger, opts ...SubscriberOption) *Subscriber {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Subscriber{
		addr:    addr,
		token:   token,
		hub:     hub,
		logger:  logger.With("push_addr", addr),
		minWait: DefaultMinBackoff,
		maxWait: DefaultMaxBackoff,
	}
	for _, o := range opts {
		o(s)
	}
	s.maxWait = max(s.maxWait, s.minWait)
	return s
}

// Name implements lifecycle.Component.
func (s *Subscriber) Name() string { return "push-subscriber " + s.addr }

// Start begins following the stream in the background and returns at
// once; it fails only for an unusable address or a second Start. The
// stream opens later: see Open.
func (s *Subscriber) Start(ctx context.Context) error {
	if s.done != nil {
		return errors.New("live: subscriber already started")
	}
	dial := append([]grpc.DialOption{
		// The push stream runs on the private network (DESIGN.md).
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: keepaliveTime, Timeout: 10 * time.Second}),
		// Reconnect as eagerly as our own loop: gRPC's default backoff
		// grows to two minutes, far longer than a replica restart.
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff: grpcbackoff.Config{
				BaseDelay: s.minWait, Multiplier: 1.6, Jitter: 0.2, MaxDelay: s.maxWait,
			},
			MinConnectTimeout: 5 * time.Second,
		}),
	}, s.dialOpts...)
	conn, err := grpc.NewClient(s.addr, dial...)
	if err != nil {
		return fmt.Errorf("live: push address %q: %w", s.addr, err)
	}
	s.conn = conn
	// The stream outlives Start's context (a start deadline): only Stop
	// ends it.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	runCtx = metadata.AppendToOutgoingContext(runCtx, "authorization", "Bearer "+s.token)
	s.cancel = cancel
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		s.run(runCtx, pushpb.NewPushClient(conn))
	}()
	return nil
}

// Stop ends the stream, waits for the background goroutine (at most until
// ctx ends) and closes the connection.
func (s *Subscriber) Stop(ctx context.Context) error {
	if s.done == nil {
		return nil
	}
	s.cancel()
	var err error
	select {
	case <-s.done:
	case <-ctx.Done():
		err = fmt.Errorf("live: stop %s: %w", s.Name(), context.Cause(ctx))
	}
	return errors.Join(err, s.conn.Close())
}

// Open reports whether the stream is open now: the replica accepted the
// subscription and it has not ended since. The gateway is ready only while
// every Subscriber is open.
func (s *Subscriber) Open() bool { return s.open.Load() }

// Position returns the epoch and cursor of the last event received; the
// next subscription resumes from there. Both are zero before the first.
func (s *Subscriber) Position() (epoch string, cursor uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.epoch, s.cursor
}

// AllOpen reports whether every one of subs is open: the gateway's
// readiness condition for its push subscriptions.
func AllOpen(subs ...*Subscriber) bool {
	for _, s := range subs {
		if !s.Open() {
			return false
		}
	}
	return true
}

// run subscribes again and again until ctx ends.
func (s *Subscriber) run(ctx context.Context, client pushpb.PushClient) {
	failures := 0
	for {
		opened, err := s.subscribe(ctx, client)
		s.open.Store(false)
		if ctx.Err() != nil {
			return
		}
		if opened {
			failures = 0 // the replica was fine; this is a fresh outage
		}
		failures++
		wait := backoff.Delay(failures, s.minWait, s.maxWait)
		epoch, cursor := s.Position()
		if permanent(err) {
			// Misconfiguration (a wrong token, not a push server): retrying
			// fast cannot help, but the backend may be redeployed.
			wait = s.maxWait
			s.logger.ErrorContext(ctx, "push subscription refused; retrying",
				"error", err, "in", wait.String())
		} else {
			s.logger.WarnContext(ctx, "push stream ended; resubscribing",
				"error", err, "epoch", epoch, "cursor", cursor, "in", wait.String())
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// subscribe runs one subscription from the current position and returns
// whether it opened and why it ended.
func (s *Subscriber) subscribe(ctx context.Context, client pushpb.PushClient) (bool, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // frees the stream whatever ended it
	epoch, cursor := s.Position()
	// WaitForReady: while the replica is down, wait for its connection
	// (gRPC redials with its own backoff) instead of failing at once.
	stream, err := client.SubscribePush(ctx,
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
	s.open.Store(true)
	s.logger.InfoContext(ctx, "push subscription open", "epoch", epoch, "cursor", cursor)
	for {
		ev, err := stream.Recv()
		if err != nil {
			return true, streamEnd(err)
		}
		s.deliver(ctx, ev)
	}
}

// deliver hands ev to the Hub and records it as the position to resume
// from.
func (s *Subscriber) deliver(ctx context.Context, ev *pushpb.PushEvent) {
	epoch, cursor := s.Position()
	switch {
	case ev.GetResync() && epoch == "":
		s.logger.InfoContext(ctx, "push stream joined", "epoch", ev.GetEpoch(), "cursor", ev.GetCursor())
	case ev.GetResync():
		s.logger.WarnContext(ctx, "push stream could not resume: browsers told to reload",
			"epoch", epoch, "cursor", cursor, "new_epoch", ev.GetEpoch(), "new_cursor", ev.GetCursor())
	case ev.GetEpoch() == epoch && ev.GetCursor() <= cursor:
		// The server guarantees no duplicates; this guard keeps a broken
		// server from showing a browser an event twice.
		s.logger.WarnContext(ctx, "push event already delivered; skipped",
			"epoch", epoch, "cursor", ev.GetCursor(), "last_cursor", cursor)
		return
	}
	// Even the first resync (nothing seen yet) goes to browsers: streams
	// opened before the subscription may have missed events.
	err := s.hub.Publish(Event{
		Kind:    ev.GetKind(),
		Payload: ev.GetPayload(),
		UserIDs: ev.GetUserIds(),
		Resync:  ev.GetResync(),
	})
	if err != nil {
		s.logger.WarnContext(ctx, "push event not deliverable; skipped",
			"epoch", ev.GetEpoch(), "cursor", ev.GetCursor(), "kind", ev.GetKind(), "error", err)
	}
	// Recorded after Publish, so a position read elsewhere means the
	// event already reached the Hub.
	s.mu.Lock()
	s.epoch, s.cursor = ev.GetEpoch(), ev.GetCursor()
	s.mu.Unlock()
}

// streamEnd makes a clean end of stream an error: the server never ends a
// subscription without one, so it means the stream was lost.
func streamEnd(err error) error {
	if errors.Is(err, io.EOF) {
		return errors.New("push stream ended by the server")
	}
	return err
}

// permanent reports whether resubscribing cannot help soon.
func permanent(err error) bool {
	switch status.Code(err) {
	case codes.Unauthenticated, codes.PermissionDenied, codes.Unimplemented:
		return true
	}
	return false
}
