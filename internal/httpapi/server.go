package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/health"
)

// Server is an HTTP listener as a lifecycle component: the API listener, and
// the optional metrics listener.
type Server struct {
	name   string
	cfg    config.HTTP
	srv    *http.Server
	logger *slog.Logger
	ready  *health.Flag
	fail   func(component string, err error)
	addr   net.Addr
	done   chan struct{}
}

// NewServer prepares a listener named name for handler on cfg.Addr. ready
// is flipped when the listener is bound; fail is called if serving stops
// unexpectedly.
func NewServer(name string, cfg config.HTTP, handler http.Handler, logger *slog.Logger, ready *health.Flag, fail func(string, error)) *Server {
	return &Server{
		name:   name,
		cfg:    cfg,
		logger: logger,
		ready:  ready,
		fail:   fail,
		srv: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: cfg.ReadHeaderTimeout,
			ReadTimeout:       cfg.ReadTimeout,
			WriteTimeout:      cfg.WriteTimeout,
			IdleTimeout:       cfg.IdleTimeout,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		},
	}
}

// Name implements lifecycle.Component.
func (s *Server) Name() string { return s.name }

// Start binds the listener (so a busy port fails the start) and serves in
// the background.
func (s *Server) Start(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	s.addr = ln.Addr()
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.fail(s.Name(), err)
		}
	}()
	s.ready.Set(true)
	s.logger.Info(s.name+" listening", "addr", s.addr.String())
	return nil
}

// Addr returns the bound address (useful with port 0).
func (s *Server) Addr() net.Addr { return s.addr }

// Stop refuses new connections and waits for in-flight requests until ctx's
// deadline, then closes whatever is left.
func (s *Server) Stop(ctx context.Context) error {
	s.ready.Set(false)
	err := s.srv.Shutdown(ctx)
	if err != nil {
		// The drain deadline passed: cut the remaining connections.
		err = errors.Join(fmt.Errorf("drain: %w", err), s.srv.Close())
	}
	<-s.done
	return err
}
