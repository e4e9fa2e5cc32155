package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// server is the gateway's HTTP listener as a lifecycle component.
type server struct {
	addr   string
	srv    *http.Server
	bound  net.Addr
	logger *slog.Logger
	fail   func(component string, err error)
	done   chan struct{}
}

func newServer(addr string, h http.Handler, logger *slog.Logger) *server {
	return &server{addr: addr, logger: logger, srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// No WriteTimeout: /events streams for as long as the page is open.
		// Pages bound their own work through their request contexts.
		IdleTimeout: 2 * time.Minute,
		ErrorLog:    slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}}
}

// Name implements lifecycle.Component.
func (s *server) Name() string { return "gateway-http" }

// Start binds the listener, so a busy port fails the start, and serves in
// the background.
func (s *server) Start(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.addr, err)
	}
	s.bound = ln.Addr()
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && s.fail != nil {
			s.fail(s.Name(), err)
		}
	}()
	return nil
}

// Addr is the bound address (valid after Start).
func (s *server) Addr() net.Addr { return s.bound }

// Stop refuses new connections and drains requests in flight until ctx ends.
func (s *server) Stop(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	<-s.done
	return err
}
