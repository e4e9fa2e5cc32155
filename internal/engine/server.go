package engine

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"
)

// Config configures a Server.
type Config struct {
	// Addr is the TCP listen address, e.g. ":8090" or "127.0.0.1:0".
	Addr string
	// Token is the per-game bearer token every call but /healthz must carry.
	Token string
	// StateDir, when set, is where the state is persisted after every init
	// and turn and loaded from at start. Empty keeps the state in memory.
	StateDir string
	// MaxBodyBytes bounds request bodies; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
}

// Server is one engine process's HTTP server and the game it hosts. It follows
// the platform's component life cycle: NewServer, Start, Stop.
type Server struct {
	cfg      Config
	log      *slog.Logger
	host     *host
	srv      *http.Server
	ln       net.Listener
	serveErr chan error
}

// NewServer validates cfg and loads the persisted state, if any. It fails
// rather than start over an unreadable state file: starting a fresh engine
// there would silently lose a game.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Token == "" {
		return nil, errors.New("engine: token is required")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.StateDir != "" {
		if err := os.MkdirAll(cfg.StateDir, 0o750); err != nil {
			return nil, fmt.Errorf("engine: state dir: %w", err)
		}
	}
	h, err := newHost(log, stateStore{dir: cfg.StateDir})
	if err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	hs := &handlers{host: h, log: log, tokenSum: sha256.Sum256([]byte(cfg.Token)), maxBody: cfg.MaxBodyBytes}
	return &Server{
		cfg:  cfg,
		log:  log,
		host: h,
		srv: &http.Server{
			Handler:           hs.routes(),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       2 * time.Minute,
			// No WriteTimeout: a turn may legitimately take minutes; the
			// client bounds each call instead.
			IdleTimeout: 2 * time.Minute,
			ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
		serveErr: make(chan error, 1),
	}, nil
}

// Name identifies the server among the platform's components (it satisfies
// lifecycle.Component, for running an engine inside another process).
func (s *Server) Name() string { return "engine" }

// Handler returns the HTTP handler, for embedding the engine in another
// server or in tests without a listener.
func (s *Server) Handler() http.Handler { return s.srv.Handler }

// Start binds the listener and serves in the background; /healthz answers as
// soon as Start returns.
func (s *Server) Start(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = s.host.stop(stopCtx)
		return fmt.Errorf("engine: listen %s: %w", s.cfg.Addr, err)
	}
	s.ln = ln
	s.log.Info("engine listening", "addr", ln.Addr().String(), "state_dir", s.cfg.StateDir)
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.serveErr <- err
		}
		close(s.serveErr)
	}()
	return nil
}

// Addr returns the bound address; valid after Start.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Err yields an error if serving fails after Start, and is closed when the
// server stops serving.
func (s *Server) Err() <-chan error { return s.serveErr }

// Stop shuts down gracefully: stop accepting connections, let in-flight
// requests (a running turn included) finish and persist, then stop the game
// loop. When ctx ends first, open connections are closed; a turn already
// taken by the loop still completes its atomic state write unless the process
// is killed, and even then the state file is the old or the new one, whole.
func (s *Server) Stop(ctx context.Context) error {
	var errHTTP error
	if s.ln != nil {
		if errHTTP = s.srv.Shutdown(ctx); errHTTP != nil {
			_ = s.srv.Close()
			errHTTP = fmt.Errorf("engine: http shutdown: %w", errHTTP)
		}
	}
	errHost := s.host.stop(ctx)
	if errHost != nil {
		errHost = fmt.Errorf("engine: %w", errHost)
	}
	err := errors.Join(errHTTP, errHost)
	if err == nil {
		s.log.Info("engine stopped")
	}
	return err
}
