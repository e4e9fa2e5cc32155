package inbound

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Listener is the SMTP door: a lifecycle component that accepts mail for
// orders@<domain> only, and answers 250 only once Receive has committed the
// message. On Stop it refuses new connections and lets the sessions in
// flight finish, until Stop's context ends.
type Listener struct {
	svc    *Service
	addr   string
	server *smtp.Server
	ln     net.Listener
	done   chan error
	logger *slog.Logger
}

// NewListener builds the listener from the service's configuration; it
// listens once started.
func NewListener(svc *Service) (*Listener, error) {
	l := &Listener{svc: svc, addr: svc.cfg.SMTPAddr, logger: svc.logger}
	srv := smtp.NewServer(&smtpBackend{l: l})
	srv.Domain = svc.cfg.Domain
	srv.ReadTimeout = svc.cfg.Timeout
	srv.WriteTimeout = svc.cfg.Timeout
	srv.MaxMessageBytes = MaxMessageBytes
	srv.MaxRecipients = 10
	srv.MaxLineLength = 4000
	if svc.cfg.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(svc.cfg.TLSCertFile, svc.cfg.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("BACKEND_SMTP_INBOUND_TLS_CERT_FILE: %w", err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	l.server = srv
	return l, nil
}

// Name implements lifecycle.Component.
func (l *Listener) Name() string { return "smtp-inbound" }

// Start listens and serves in the background.
func (l *Listener) Start(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", l.addr)
	if err != nil {
		return fmt.Errorf("smtp inbound listen on %s: %w", l.addr, err)
	}
	l.ln = ln
	l.done = make(chan error, 1)
	go func() { l.done <- l.server.Serve(ln) }()
	l.logger.Info("smtp inbound listening", "addr", ln.Addr().String(), "orders", "orders@"+l.svc.cfg.Domain,
		"starttls", l.server.TLSConfig != nil)
	return nil
}

// Addr is the address it listens on (after Start).
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }

// Stop closes the listening socket and waits for the sessions in flight;
// those still open when ctx ends are cut.
func (l *Listener) Stop(ctx context.Context) error {
	err := l.server.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = l.server.Close()
	}
	// Serve may not have registered the socket yet when Stop follows Start
	// at once (a failed start unwinding), in which case Shutdown did not
	// close it: closing it here ends Serve either way.
	_ = l.ln.Close()
	if serveErr := <-l.done; serveErr != nil && !errors.Is(serveErr, smtp.ErrServerClosed) && !errors.Is(serveErr, net.ErrClosed) && err == nil {
		err = serveErr
	}
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

type smtpBackend struct{ l *Listener }

func (b *smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{l: b.l}, nil
}

// smtpSession is one SMTP transaction at a time: MAIL, RCPT, DATA.
type smtpSession struct {
	l    *Listener
	from string
	rcpt bool
}

func (s *smtpSession) Reset()        { s.from, s.rcpt = "", false }
func (s *smtpSession) Logout() error { return nil }

// Mail applies the per-sender rate: over it, a temporary 451 that a
// well-behaved server retries later.
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if ok, wait := s.l.svc.AllowSender(from); !ok {
		s.l.svc.metrics.refused(context.Background(), "rate_limited")
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1},
			Message: fmt.Sprintf("Too many messages from this address; try again in %d seconds", int(wait.Seconds())+1)}
	}
	s.from = from
	return nil
}

// Rcpt takes the orders address only.
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	want := "orders@" + s.l.svc.cfg.Domain
	if !strings.EqualFold(strings.Trim(to, "<> "), want) {
		s.l.svc.metrics.refused(context.Background(), "recipient")
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "No such mailbox here: send orders to " + want}
	}
	s.rcpt = true
	return nil
}

// Data stores the message, and answers 250 only once it is committed.
func (s *smtpSession) Data(r io.Reader) error {
	if !s.rcpt {
		return &smtp.SMTPError{Code: 503, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "RCPT first"}
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		if errors.Is(err, smtp.ErrDataTooLarge) {
			s.l.svc.metrics.refused(context.Background(), "too_large")
		}
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.l.svc.Receive(ctx, SourceSMTP, s.from, raw); err != nil {
		switch {
		case errs.Is(err, errs.PayloadTooLarge):
			return smtp.ErrDataTooLarge
		case errs.Is(err, errs.InvalidArgument):
			return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: err.Error()}
		}
		s.l.logger.Warn("inbound mail not stored", "from", s.from, "error", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message: "Cannot store the message now; try again later"}
	}
	return nil
}
