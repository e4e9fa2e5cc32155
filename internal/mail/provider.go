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

	gomail "github.com/wneessen/go-mail"

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

// smtpProvider sends through an SMTP relay with go-mail, one connection per
// attempt: attempts are spread out and few per second per process, and a
// fresh connection keeps failure isolation simple.
type smtpProvider struct {
	cfg  config.Mail
	host string
	port int
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
	return &smtpProvider{cfg: cfg, host: host, port: port}, nil
}

func (p *smtpProvider) Name() string { return "smtp" }

func (p *smtpProvider) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(p.cfg.FromName, p.cfg.FromEmail); err != nil {
		return &SendError{Permanent: true, Err: fmt.Errorf("sender: %w", err)}
	}
	if err := msg.To(m.To...); err != nil {
		return &SendError{Permanent: true, Err: fmt.Errorf("recipients: %w", err)}
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
			return &SendError{Permanent: true, Err: fmt.Errorf("attachment %s: %w", a.Filename, err)}
		}
	}

	opts := []gomail.Option{
		gomail.WithPort(p.port),
		gomail.WithTimeout(p.cfg.SMTPTimeout),
		gomail.WithTLSPolicy(gomail.TLSOpportunistic),
		gomail.WithTLSConfig(&tls.Config{
			ServerName:         p.host,
			MinVersion:         tls.VersionTLS12,
			InsecureSkipVerify: p.cfg.InsecureSkipVerify, //nolint:gosec // operator opt-in for local capture servers, documented
		}),
	}
	if p.cfg.SMTPUsername != "" {
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(p.cfg.SMTPUsername),
			gomail.WithPassword(p.cfg.SMTPPassword))
	}
	client, err := gomail.NewClient(p.host, opts...)
	if err != nil {
		return &SendError{Permanent: true, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.SMTPTimeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return classify(err)
	}
	return nil
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
