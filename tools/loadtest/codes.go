package main

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// codeWait is how long a player waits for its sign-in mail.
const codeWait = 30 * time.Second

// codeSource reads the sign-in code the platform mailed to an address.
type codeSource interface {
	// watch starts looking for the code mailed to email. Call it before
	// asking for the code, so that a quick mail is not missed; the function
	// it returns waits for the code.
	watch(email string) func(ctx context.Context) (string, error)
}

// codeRe finds the code in the subject of the auth.login_code mail.
var codeRe = regexp.MustCompile(`code: (\d{6})`)

// mailbox reads sign-in codes from the mail the platform sends to the
// in-process SMTP sink, as it arrives: its tap is the sink's Responder,
// which sees every message before it is stored, so no player scans the
// whole mailbox for its code.
type mailbox struct {
	mu      sync.Mutex
	waiting map[string]chan string // by lower-case address
}

// newMailbox returns a mailbox no player waits at yet.
func newMailbox() *mailbox { return &mailbox{waiting: map[string]chan string{}} }

// watch implements codeSource.
func (m *mailbox) watch(email string) func(ctx context.Context) (string, error) {
	ch := make(chan string, 1)
	m.mu.Lock()
	m.waiting[strings.ToLower(email)] = ch
	m.mu.Unlock()
	return func(ctx context.Context) (string, error) {
		defer func() {
			m.mu.Lock()
			delete(m.waiting, strings.ToLower(email))
			m.mu.Unlock()
		}()
		ctx, cancel := context.WithTimeout(ctx, codeWait)
		defer cancel()
		select {
		case code := <-ch:
			return code, nil
		case <-ctx.Done():
			return "", fmt.Errorf("no sign-in mail for %s within %s", email, codeWait)
		}
	}
}

// tap is the sink's smtptest.Responder: it hands a sign-in code to the
// player waiting for it and accepts every message.
func (m *mailbox) tap(_ int, raw []byte) *smtp.SMTPError {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil // the sink refuses it itself
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return nil
	}
	found := codeRe.FindStringSubmatch(subject)
	if found == nil {
		return nil
	}
	to, err := msg.Header.AddressList("To")
	if err != nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range to {
		if ch, ok := m.waiting[strings.ToLower(a.Address)]; ok {
			select {
			case ch <- found[1]:
			default: // an older code is still unread; the newest counts
			}
		}
	}
	return nil
}

// deliveryLog reads sign-in codes from a running platform's mail records
// through the internal API (the admin API hides codes): the way to sign
// players in on `galaxy dev`, whose mail is recorded, not sent.
type deliveryLog struct {
	api *apiclient.ClientWithResponses
}

// watch implements codeSource. Each run's addresses are new, so any
// sign-in mail to the address is the one asked for.
func (d *deliveryLog) watch(email string) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		template, limit := "auth.login_code", 1
		params := &apiclient.ListMailDeliveriesInternalParams{Recipient: &email, Template: &template, Limit: &limit}
		deadline := time.Now().Add(codeWait)
		for time.Now().Before(deadline) {
			resp, err := d.api.ListMailDeliveriesInternalWithResponse(ctx, params)
			if err != nil {
				return "", err
			}
			if resp.JSON200 == nil {
				return "", fmt.Errorf("reading the mail log: %w", errCounted)
			}
			if items := resp.JSON200.Items; len(items) > 0 {
				// The list has no data; the delivery itself has.
				one, err := d.api.GetMailDeliveryInternalWithResponse(ctx, items[0].DeliveryId)
				if err != nil {
					return "", err
				}
				if one.JSON200 == nil {
					return "", fmt.Errorf("reading the mail log: %w", errCounted)
				}
				if code, ok := one.JSON200.Data["code"].(string); ok {
					return code, nil
				}
				return "", fmt.Errorf("the sign-in mail to %s has no code", email)
			}
			if err := sleep(ctx, 100*time.Millisecond); err != nil {
				return "", err
			}
		}
		return "", fmt.Errorf("no sign-in mail for %s within %s", email, codeWait)
	}
}

// sleep waits for d, or less when ctx ends (then it returns ctx's error).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
