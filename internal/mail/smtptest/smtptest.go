// Package smtptest runs a real SMTP server in process (emersion/go-smtp) for
// tests and benchmarks: it records every accepted message and can answer
// with chosen SMTP errors, to exercise retries and permanent failures.
package smtptest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/mail"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Raw  []byte
	// Header is the parsed header of Raw.
	Header mail.Header
}

// Responder decides the answer to DATA for the n-th message (counting from
// 1, every DATA command, accepted or not). Return nil to accept.
type Responder func(n int, raw []byte) *smtp.SMTPError

// Server is a running SMTP sink.
type Server struct {
	srv *smtp.Server
	ln  net.Listener

	mu       sync.Mutex
	respond  Responder
	dataSeen int
	messages []Message

	connMu   sync.Mutex
	sessions int
	open     map[*smtp.Conn]struct{}
}

// Start listens on 127.0.0.1 (any port) and serves until Close.
func Start() (*Server, error) {
	s := &Server{open: map[*smtp.Conn]struct{}{}}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 10 << 20
	// Clients that vanish mid-session (a killed process) are expected here.
	srv.ErrorLog = log.New(io.Discard, "", 0)
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.srv, s.ln = srv, ln
	go func() { _ = srv.Serve(ln) }()
	return s, nil
}

// Addr returns host:port of the listener.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// SetResponder replaces how DATA is answered.
func (s *Server) SetResponder(r Responder) {
	s.mu.Lock()
	s.respond = r
	s.mu.Unlock()
}

// Messages returns a copy of the accepted messages, in arrival order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Count returns the number of accepted messages.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.messages)
}

// DataCommands returns how many DATA commands arrived (accepted or refused).
func (s *Server) DataCommands() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dataSeen
}

// Sessions returns how many SMTP connections clients opened.
func (s *Server) Sessions() int {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return s.sessions
}

// DropConnections closes every open client connection from the server's
// side, as a relay does with idle clients.
func (s *Server) DropConnections() {
	s.connMu.Lock()
	conns := make([]*smtp.Conn, 0, len(s.open))
	for c := range s.open {
		conns = append(conns, c)
	}
	s.connMu.Unlock()
	for _, c := range conns {
		_ = c.Conn().Close()
	}
}

// TempFail answers 451 (try again later).
func TempFail() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
}

// PermFail answers 550 (mailbox unavailable).
func PermFail() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.s.connMu.Lock()
	b.s.sessions++
	b.s.open[c] = struct{}{}
	b.s.connMu.Unlock()
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	from string
	to   []string
}

func (x *session) Reset() { x.from, x.to = "", nil }

func (x *session) Logout() error {
	x.s.connMu.Lock()
	delete(x.s.open, x.conn)
	x.s.connMu.Unlock()
	return nil
}

func (x *session) AuthMechanisms() []string { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := x.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dataSeen++
	if s.respond != nil {
		if e := s.respond(s.dataSeen, raw); e != nil {
			return e
		}
	}
	m := Message{From: x.from, To: append([]string(nil), x.to...), Raw: raw}
	if parsed, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Header = parsed.Header
	} else {
		return errors.New("unparseable message")
	}
	s.messages = append(s.messages, m)
	return nil
}
