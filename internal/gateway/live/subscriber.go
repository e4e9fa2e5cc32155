package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"github.com/galaxy-platform/galaxy/internal/push/pushclient"
	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

// Subscriber defaults.
const (
	// DefaultMinBackoff is the first wait before resubscribing.
	DefaultMinBackoff = pushclient.DefaultMinBackoff
	// DefaultMaxBackoff caps the wait: a replica that comes back is
	// followed again within this long.
	DefaultMaxBackoff = pushclient.DefaultMaxBackoff
)

// Subscriber follows the push stream of one backend replica and publishes
// each event to a Hub, resuming from the last event it saw after any
// disconnect (pushclient does the following). It is a lifecycle component:
// Start returns at once and the stream is (re)opened in the background
// until Stop.
type Subscriber struct {
	addr     string
	token    string
	hub      *Hub
	logger   *slog.Logger
	minWait  time.Duration
	maxWait  time.Duration
	dialOpts []grpc.DialOption

	open   atomic.Bool
	client *pushclient.Client
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
	c, err := pushclient.New(pushclient.Options{
		Addr: s.addr, Token: s.token, MinBackoff: s.minWait, MaxBackoff: s.maxWait,
		Logger: s.logger, DialOptions: s.dialOpts,
	})
	if err != nil {
		return fmt.Errorf("live: %w", err)
	}
	s.client = c
	// The stream outlives Start's context (a start deadline): only Stop
	// ends it.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		_ = c.Follow(runCtx, func(ev *pushpb.PushEvent) error {
			s.deliver(runCtx, ev)
			return nil
		}, s.open.Store)
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
	return errors.Join(err, s.client.Close())
}

// Open reports whether the stream is open now: the replica accepted the
// subscription and it has not ended since. The gateway is ready only while
// every Subscriber is open.
func (s *Subscriber) Open() bool { return s.open.Load() }

// Position returns the epoch and cursor of the last event received; the
// next subscription resumes from there. Both are zero before the first.
func (s *Subscriber) Position() (epoch string, cursor uint64) {
	if s.client == nil {
		return "", 0
	}
	return s.client.Position()
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

// deliver hands ev to the Hub (pushclient records the position after it,
// so a position read elsewhere means the event already reached the Hub).
func (s *Subscriber) deliver(ctx context.Context, ev *pushpb.PushEvent) {
	if ev.GetResync() {
		if epoch, _ := s.Position(); epoch == "" {
			s.logger.InfoContext(ctx, "push stream joined", "epoch", ev.GetEpoch(), "cursor", ev.GetCursor())
		} else {
			s.logger.WarnContext(ctx, "push stream could not resume: browsers told to reload",
				"epoch", epoch, "new_epoch", ev.GetEpoch(), "new_cursor", ev.GetCursor())
		}
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
}
