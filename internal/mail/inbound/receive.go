package inbound

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/ids"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound/inboundstore"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound/mailtext"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/ratelimit"
)

// MaxMessageBytes bounds one inbound message (the contract's 1 MiB).
const MaxMessageBytes = 1 << 20

// Sources of inbound mail.
const (
	SourceSMTP    = "smtp"
	SourceWebhook = "webhook"
)

// Statuses of an inbound mail.
const (
	StatusReceived  = "received"
	StatusProcessed = "processed"
	// StatusIgnored: nothing to do and nobody to answer (unknown sender,
	// unreadable message).
	StatusIgnored = "ignored"
)

// Queue is the River queue of inbound processing.
const Queue = "mail_inbound"

// Service receives and processes inbound mail.
type Service struct {
	cfg     config.Inbound
	db      *postgres.DB
	river   *river.Client[pgx.Tx]
	deps    Deps
	senders *ratelimit.Limiter
	logger  *slog.Logger
	metrics *metrics
}

// Receipt is what Receive did with a message.
type Receipt struct {
	InboundID string
	// Duplicate is true when the Message-ID was received before: the first
	// copy's id is returned and nothing new is processed.
	Duplicate bool
}

// Receive stores one raw message from source and queues its processing, in
// one transaction, and returns once it is committed: only then may the door
// acknowledge it. envelopeFrom is the SMTP MAIL FROM ("" from the webhook).
//
// The webhook's sender rate is checked here, on the From header read for
// storage; the SMTP door checks its envelope sender earlier, at MAIL FROM.
//
// Errors: errs.PayloadTooLarge over MaxMessageBytes; errs.InvalidArgument
// for an empty message; errs.RateLimited for a webhook sender over its rate.
func (s *Service) Receive(ctx context.Context, source, envelopeFrom string, raw []byte) (Receipt, error) {
	if len(raw) > MaxMessageBytes {
		s.metrics.refused(ctx, "too_large")
		return Receipt{}, errs.E(errs.PayloadTooLarge, "the message is %d bytes, at most %d are accepted", len(raw), MaxMessageBytes)
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		s.metrics.refused(ctx, "empty")
		return Receipt{}, errs.E(errs.InvalidArgument, "the message is empty")
	}
	// Only the headers are needed here; an unreadable message is still
	// stored (and later ignored), so that operators can see it.
	msg, _ := mailtext.Extract(raw)
	if source == SourceWebhook && msg.From != "" {
		if d := s.senders.Take(strings.ToLower(msg.From)); !d.Allowed {
			s.metrics.refused(ctx, "rate_limited")
			return Receipt{}, d.Err("messages from this address")
		}
	}
	key := msg.MessageID
	if key == "" {
		sum := sha256.Sum256(raw)
		key = "sha256:" + hex.EncodeToString(sum[:])
	}
	var out Receipt
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := inboundstore.New(tx)
		id, err := q.InsertInbound(ctx, inboundstore.InsertInboundParams{
			InboundID: ids.New("inb_"), MessageKey: key, MessageID: msg.MessageID, Source: source,
			EnvelopeFrom: envelopeFrom, Sender: msg.From, Subject: truncate(msg.Subject, 500),
			SizeBytes: int32(len(raw)), Raw: raw,
		})
		if postgres.IsNoRows(err) {
			out.Duplicate = true
			out.InboundID, err = q.InboundIDByKey(ctx, key)
			return err
		}
		if err != nil {
			return err
		}
		out.InboundID = id
		if _, err := s.river.InsertTx(ctx, tx, ProcessArgs{InboundID: id}, &river.InsertOpts{Queue: Queue}); err != nil {
			return fmt.Errorf("queue processing of %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return Receipt{}, err
	}
	s.metrics.received(ctx, source, out.Duplicate)
	return out, nil
}

// AllowSender takes one token of a sender address's rate; false means the
// sender must try again later (a temporary refusal, never a loss).
func (s *Service) AllowSender(address string) (bool, time.Duration) {
	d := s.senders.Take(strings.ToLower(address))
	if !d.Allowed {
		return false, d.RetryAfter
	}
	return true, 0
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
