package push

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"

	"github.com/galaxy-platform/galaxy/internal/health"
	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

// minClientPingInterval is the most often a gateway may ping; more often
// than that and the server answers GOAWAY (too_many_pings), so a
// misconfigured client cannot keep the server busy with pings.
const minClientPingInterval = 10 * time.Second

// maxRequestBytes bounds inbound messages: the only one is a
// SubscribePushRequest of a few dozen bytes.
const maxRequestBytes = 64 << 10

// Server serves a Service over gRPC (galaxy.push.v1.Push) as a lifecycle
// component named "grpc-push".
type Server struct {
	cfg       Config
	svc       *Service
	logger    *slog.Logger
	ready     *health.Flag
	fail      func(component string, err error)
	tokenHash [sha256.Size]byte

	grpc *grpc.Server
	addr net.Addr
	done chan struct{} // closed when Serve returns

	mu      sync.Mutex
	closing bool                       // Stop began: refuse new subscribers
	subs    map[*Subscription]struct{} // live subscriptions of this server
	pumps   sync.WaitGroup             // sending goroutines, see stream.go
}

// NewServer prepares the gRPC listener for svc on cfg.Addr. ready (may be
// nil) is set while the listener is bound; fail is called if serving stops
// unexpectedly. Nothing is bound until Start.
func NewServer(cfg Config, svc *Service, logger *slog.Logger, ready *health.Flag, fail func(component string, err error)) *Server {
	cfg = cfg.withDefaults()
	return &Server{
		cfg:       cfg,
		svc:       svc,
		logger:    logger,
		ready:     ready,
		fail:      fail,
		tokenHash: sha256.Sum256([]byte(cfg.Token)),
		subs:      map[*Subscription]struct{}{},
	}
}

// Name implements lifecycle.Component.
func (s *Server) Name() string { return "grpc-push" }

// Start validates the configuration, binds the listener (so a busy port
// fails the start) and serves in the background.
func (s *Server) Start(ctx context.Context) error {
	if err := s.cfg.Validate(); err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	// A grpc.Server cannot serve again after Stop, so each Start builds one.
	s.grpc = grpc.NewServer(
		grpc.KeepaliveParams(keepalive.ServerParameters{
			Time:    s.cfg.KeepaliveTime,
			Timeout: s.cfg.KeepaliveTimeout,
		}),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{
			MinTime: minClientPingInterval,
			// Gateways keep their connection warm between subscriptions.
			PermitWithoutStream: true,
		}),
		grpc.MaxConcurrentStreams(s.cfg.MaxConcurrentStreams),
		grpc.MaxRecvMsgSize(maxRequestBytes),
		grpc.ChainStreamInterceptor(s.authStream),
		grpc.ChainUnaryInterceptor(s.authUnary),
	)
	pushpb.RegisterPushServer(s.grpc, &handler{s: s})
	s.mu.Lock()
	s.closing = false // a stopped Server may be started again
	s.mu.Unlock()
	s.addr = ln.Addr()
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		// Serve returns nil after Stop or GracefulStop; anything else is a
		// failure of the running component.
		if err := s.grpc.Serve(ln); err != nil {
			s.fail(s.Name(), err)
		}
	}()
	if s.ready != nil {
		s.ready.Set(true)
	}
	s.logger.Info("grpc-push listening", "addr", s.addr.String(), "epoch", s.svc.Epoch())
	return nil
}

// Addr returns the bound address (useful with port 0).
func (s *Server) Addr() net.Addr { return s.addr }

// Stop refuses new subscribers, flushes every event already published to
// each connected subscriber and ends its stream with UNAVAILABLE (so the
// gateway resubscribes elsewhere or after the restart), then closes the
// connections. All of it is bounded by ctx and cfg.ShutdownTimeout; at the
// deadline the remaining connections are cut and an error is returned.
func (s *Server) Stop(ctx context.Context) error {
	if s.grpc == nil {
		return nil // never started
	}
	if s.ready != nil {
		s.ready.Set(false)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ShutdownTimeout)
	defer cancel()

	s.mu.Lock()
	s.closing = true
	subs := make([]*Subscription, 0, len(s.subs))
	for sub := range s.subs {
		subs = append(subs, sub)
	}
	s.mu.Unlock()
	// Ending a subscription closes its live queue, which still holds every
	// event published so far: each stream sends those, then ends, and
	// GracefulStop (which waits for every handler) can return.
	for _, sub := range subs {
		s.svc.end(sub, ErrShuttingDown)
	}
	stopped := make(chan struct{})
	go func() {
		// GOAWAY at once: no new streams on existing connections either.
		s.grpc.GracefulStop()
		close(stopped)
	}()
	var err error
	select {
	case <-stopped:
	case <-ctx.Done():
		// Some subscriber does not take its events: cut every connection.
		s.grpc.Stop()
		<-stopped
		err = fmt.Errorf("flush push subscribers: %w", context.Cause(ctx))
	}
	<-s.done
	// Cut connections unblock any send still in flight.
	s.pumps.Wait()
	return err
}

// subscribe registers a new subscription unless the server is stopping.
func (s *Server) subscribe(epoch string, cursor uint64) (*Subscription, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil, false
	}
	sub := s.svc.Subscribe(epoch, cursor)
	s.subs[sub] = struct{}{}
	return sub, true
}

// unsubscribe forgets sub and ends it if it is still live.
func (s *Server) unsubscribe(sub *Subscription) {
	s.mu.Lock()
	delete(s.subs, sub)
	s.mu.Unlock()
	sub.Close()
}
