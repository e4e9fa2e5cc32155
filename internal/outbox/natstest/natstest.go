// Package natstest runs a real NATS server with JetStream inside a test
// process: loopback only, a random port, its store in the test's temporary
// directory. It can be stopped and started again on the same port and store,
// to test what clients do across an outage.
package natstest

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Server is one embedded NATS server.
type Server struct {
	t    testing.TB
	dir  string
	mu   sync.Mutex
	srv  *server.Server
	port int
}

// Start runs a server for t; it is shut down when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, dir: t.TempDir(), port: -1}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's client URL; it stays the same across restarts.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("nats://127.0.0.1:%d", s.port)
}

// Stop shuts the server down and waits until it has; messages stored so far
// stay in its store directory. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return
	}
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
	s.srv = nil
}

// Restart starts the server (again) on the same port with the same store.
func (s *Server) Restart() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		s.t.Fatal("natstest: server already running")
	}
	opts := &server.Options{
		ServerName: "natstest",
		Host:       "127.0.0.1",
		Port:       s.port,
		JetStream:  true,
		StoreDir:   s.dir,
		// Small limits: the default reserves a share of the machine's
		// memory and disk for each server, and tests run many at once.
		JetStreamMaxMemory: 64 << 20,
		JetStreamMaxStore:  1 << 30,
		NoLog:              true,
		NoSigs:             true,
	}
	var err error
	// The port of a server just shut down can take a moment to be free.
	for attempt := 0; ; attempt++ {
		var srv *server.Server
		srv, err = server.NewServer(opts)
		if err == nil {
			go srv.Start()
			if srv.ReadyForConnections(10 * time.Second) {
				s.srv = srv
				s.port = srv.Addr().(*net.TCPAddr).Port
				return
			}
			srv.Shutdown()
			err = fmt.Errorf("not ready within 10s")
		}
		if attempt == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("natstest: start server: %v", err)
}

// Conn connects a client to the server, closed when the test ends.
func (s *Server) Conn(t testing.TB) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(s.URL(), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatalf("natstest: connect: %v", err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// JetStream returns a JetStream client on a new connection.
func (s *Server) JetStream(t testing.TB) jetstream.JetStream {
	t.Helper()
	js, err := jetstream.New(s.Conn(t))
	if err != nil {
		t.Fatalf("natstest: jetstream: %v", err)
	}
	return js
}
