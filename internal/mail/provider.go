package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"

	"github.com/galaxy-platform/galaxy/internal/config"
)

// Message is one rendered mail ready for a provider.
type Message struct {
	DeliveryID string
	To         []string
	Subject    string
	Text       string
	HTML       string
	// InReplyTo is the Message-ID this mail answers ("" for none).
	InReplyTo string
	// Attachments are sent as files with the mail.
	Attachments []Attachment
}

// Provider delivers messages. Send returns nil once the server accepted the
// message, or a *SendError that says whether trying again may help.
type Provider interface {
	Send(ctx context.Context, m Message) error
	// Name identifies the provider in logs and attempt records.
	Name() string
}

// SendError is a failed send, classified for the retry decision.
type SendError struct {
	// Permanent failures (5xx answers) are not retried.
	Permanent bool
	// Code is the SMTP reply code, or 0 when the failure happened before or
	// outside an SMTP reply (connection refused, timeout, TLS).
	Code int
	Err  error
}

// Error implements error.
func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	if e.Code != 0 {
		return fmt.Sprintf("%s failure (SMTP %d): %v", kind, e.Code, e.Err)
	}
	return fmt.Sprintf("%s failure: %v", kind, e.Err)
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// Connection reuse. Opening a connection costs a TCP handshake, the
// greeting, EHLO, usually STARTTLS and AUTH: several round trips and a TLS
// handshake, for the four of one message (MAIL, RCPT, DATA, the data).
// Connections are therefore kept open between attempts, up to one per
// worker, for BACKEND_MAIL_SMTP_MESSAGES_PER_CONNECTION messages each, and
// used by one attempt at a time. Only a connection whose last message was
// accepted goes back to the pool: any failure closes it, so one bad session
// never affects another attempt.
const (
	// smtpIdleTimeout closes connections unused this long, well before
	// relays drop idle clients (commonly after a few minutes).
	smtpIdleTimeout = 30 * time.Second
	// smtpQuitTimeout bounds the polite QUIT when a connection is closed.
	smtpQuitTimeout = 2 * time.Second
)

// smtpProvider sends through one SMTP relay with go-mail over reused
// connections (see "Connection reuse" above).
type smtpProvider struct {
	cfg     config.Mail
	client  *gomail.Client // settings only; connections are smtpConn
	maxIdle int

	mu   sync.Mutex
	idle []*smtpConn // most recently used last
	reap *time.Timer // armed while idle is not empty
}

// smtpConn is one open session with the relay.
type smtpConn struct {
	c        *gosmtp.Client
	sent     int
	lastUsed time.Time
}

func newSMTPProvider(cfg config.Mail) (*smtpProvider, error) {
	host, portStr, err := net.SplitHostPort(cfg.SMTPAddr)
	if err != nil {
		return nil, fmt.Errorf("BACKEND_MAIL_SMTP_ADDR: %w", err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("BACKEND_MAIL_SMTP_ADDR: bad port %q", portStr)
	}
	opts := []gomail.Option{
		gomail.WithPort(port),
		gomail.WithTimeout(cfg.SMTPTimeout),
		gomail.WithTLSPolicy(gomail.TLSOpportunistic),
		gomail.WithTLSConfig(&tls.Config{
			ServerName:         host,
			MinVersion:         tls.VersionTLS12,
			InsecureSkipVerify: cfg.InsecureSkipVerify, //nolint:gosec // operator opt-in for local capture servers, documented
		}),
		// A connection is reused only after an accepted message, which
		// ends the SMTP transaction: no RSET is needed after it, and a
		// connection the server closed meanwhile shows at MAIL FROM, where
		// nothing has been handed over yet (see stale), so no NOOP either.
		gomail.WithoutRset(),
		gomail.WithoutNoop(),
	}
	if cfg.SMTPUsername != "" {
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.SMTPUsername),
			gomail.WithPassword(cfg.SMTPPassword))
	}
	client, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("BACKEND_MAIL_SMTP_ADDR: %w", err)
	}
	return &smtpProvider{cfg: cfg, client: client, maxIdle: max(cfg.Concurrency, 1)}, nil
}

func (p *smtpProvider) Name() string { return "smtp" }

func (p *smtpProvider) Send(ctx context.Context, m Message) error {
	msg, se := p.build(m)
	if se != nil {
		return se
	}
	// A kept connection does not watch ctx: an attempt whose job was
	// cancelled (hard stop) sends nothing, as a dial would fail.
	if err := ctx.Err(); err != nil {
		return &SendError{Err: fmt.Errorf("dial failed: %w", err)}
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.SMTPTimeout)
	defer cancel()
	for {
		conn := p.take()
		reused := conn != nil
		if !reused {
			c, err := p.client.DialToSMTPClientWithContext(ctx)
			if err != nil {
				return &SendError{Err: fmt.Errorf("dial failed: %w", err)}
			}
			conn = &smtpConn{c: c}
		}
		// SendWithSMTPClient extends the connection's deadline by
		// BACKEND_MAIL_SMTP_TIMEOUT before the first command.
		err := p.client.SendWithSMTPClient(conn.c, msg)
		if err == nil {
			conn.sent++
			p.put(conn)
			return nil
		}
		p.discard(conn, err)
		if reused && stale(err) {
			// The relay closed a kept connection: the message was not
			// handed over. Its other kept connections are as old; retry
			// on a new one.
			p.closeIdle()
			continue
		}
		return classify(fmt.Errorf("send failed: %w", err))
	}
}

// build turns m into a go-mail message.
func (p *smtpProvider) build(m Message) (*gomail.Msg, *SendError) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(p.cfg.FromName, p.cfg.FromEmail); err != nil {
		return nil, &SendError{Permanent: true, Err: fmt.Errorf("sender: %w", err)}
	}
	if err := msg.To(m.To...); err != nil {
		return nil, &SendError{Permanent: true, Err: fmt.Errorf("recipients: %w", err)}
	}
	msg.Subject(m.Subject)
	// A stable Message-ID lets receivers drop the duplicate of an
	// at-least-once resend after a crash.
	msg.SetMessageIDWithValue(m.DeliveryID + "@galaxy")
	msg.SetGenHeader("X-Galaxy-Delivery-Id", m.DeliveryID)
	if m.InReplyTo != "" {
		msg.SetGenHeader(gomail.HeaderInReplyTo, "<"+m.InReplyTo+">")
		msg.SetGenHeader(gomail.HeaderReferences, "<"+m.InReplyTo+">")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Filename, strings.NewReader(a.Content),
			gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, &SendError{Permanent: true, Err: fmt.Errorf("attachment %s: %w", a.Filename, err)}
		}
	}
	return msg, nil
}

// stale reports a failure of a kept connection before the relay took any
// responsibility for the message: the connection was gone, or MAIL FROM
// could not be sent or was answered 421 (the relay is closing the session).
func stale(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Reason {
	case gomail.ErrConnCheck:
		return true
	case gomail.ErrSMTPMailFrom:
		code := se.ErrorCode()
		return code == 0 || code == 421
	}
	return false
}

// take returns the most recently used kept connection, or nil.
func (p *smtpProvider) take() *smtpConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	for n := len(p.idle); n > 0; n = len(p.idle) {
		conn := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		if time.Since(conn.lastUsed) < smtpIdleTimeout {
			return conn
		}
		go p.quit(conn)
	}
	return nil
}

// put keeps conn for the next attempt, unless it has sent its share or the
// pool is full.
func (p *smtpProvider) put(conn *smtpConn) {
	conn.lastUsed = time.Now()
	p.mu.Lock()
	if conn.sent >= p.cfg.SMTPMessagesPerConn || len(p.idle) >= p.maxIdle {
		p.mu.Unlock()
		go p.quit(conn)
		return
	}
	p.idle = append(p.idle, conn)
	if p.reap == nil {
		p.reap = time.AfterFunc(smtpIdleTimeout, p.reapIdle)
	}
	p.mu.Unlock()
}

// reapIdle closes the connections that stayed unused for smtpIdleTimeout,
// so that a quiet process holds no session open.
func (p *smtpProvider) reapIdle() {
	p.mu.Lock()
	var expired []*smtpConn
	kept := p.idle[:0]
	for _, conn := range p.idle {
		if time.Since(conn.lastUsed) >= smtpIdleTimeout {
			expired = append(expired, conn)
		} else {
			kept = append(kept, conn)
		}
	}
	clear(p.idle[len(kept):])
	p.idle = kept
	p.reap = nil
	if len(p.idle) > 0 {
		p.reap = time.AfterFunc(smtpIdleTimeout-time.Since(p.idle[0].lastUsed), p.reapIdle)
	}
	p.mu.Unlock()
	for _, conn := range expired {
		p.quit(conn)
	}
}

// closeIdle closes every kept connection.
func (p *smtpProvider) closeIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, conn := range idle {
		go p.quit(conn)
	}
}

// discard closes a connection after a failed send: politely when the relay
// answered (the session is alive), at once otherwise.
func (p *smtpProvider) discard(conn *smtpConn, err error) {
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() != 0 {
		go p.quit(conn)
		return
	}
	_ = conn.c.Close()
}

// quit ends a session with QUIT, within smtpQuitTimeout.
func (p *smtpProvider) quit(conn *smtpConn) {
	if err := conn.c.UpdateDeadline(smtpQuitTimeout); err == nil {
		if conn.c.Quit() == nil {
			return
		}
	}
	_ = conn.c.Close()
}

// classify maps go-mail errors to SendError: 5xx replies are permanent,
// everything else (4xx, timeouts, connection and TLS trouble) is temporary.
func classify(err error) *SendError {
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		return &SendError{Permanent: code >= 500 && code < 600, Code: code, Err: err}
	}
	return &SendError{Err: err}
}

// stubProvider records instead of sending: the rendered message is already
// stored with the delivery, so operators can read it; the log line makes it
// visible to a developer running `galaxy dev`.
type stubProvider struct {
	logger *slog.Logger
}

func (p *stubProvider) Name() string { return "stub" }

func (p *stubProvider) Send(ctx context.Context, m Message) error {
	p.logger.InfoContext(ctx, "stub mail recorded, not sent", "delivery_id", m.DeliveryID, "to", m.To, "subject", m.Subject)
	return nil
}
