package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/ids"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/mail/mailstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Request asks for one delivery.
type Request struct {
	// IdempotencyKey makes repeated requests return the first delivery while
	// BACKEND_MAIL_IDEMPOTENCY_TTL lasts. Optional in process; required over
	// HTTP and from the command queue.
	IdempotencyKey string         `json:"idempotency_key"`
	Template       string         `json:"template"`
	To             []string       `json:"to"`
	Locale         string         `json:"locale,omitempty"`
	Data           map[string]any `json:"data,omitempty"`
	// InReplyTo is the Message-ID (without angle brackets) of the mail this
	// one answers, so that mail clients thread the reply under it. In
	// process only (replies to inbound mail).
	InReplyTo string `json:"-"`
	// Attachments are files sent with the mail (a turn report). In process
	// only.
	Attachments []Attachment `json:"-"`
}

// Attachment is one file sent with a mail.
type Attachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Content     string `json:"content"`
}

// Result says what intake did with a request.
type Result struct {
	DeliveryID string
	Status     string
	// Duplicate is true when the idempotency key matched an earlier delivery,
	// which is returned instead of a new one.
	Duplicate bool
}

// Enqueue accepts a delivery in its own transaction.
func (s *Service) Enqueue(ctx context.Context, req Request) (Result, error) {
	return s.enqueue(ctx, req, SourceInProcess)
}

func (s *Service) enqueue(ctx context.Context, req Request, source string) (res Result, err error) {
	err = s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		res, err = s.enqueueTx(ctx, tx, req, source, "")
		return err
	})
	return res, err
}

// EnqueueTx accepts a delivery inside the caller's transaction: the delivery
// and the job that sends it exist only if tx commits. Validation errors are
// invalid_argument with details; a reused idempotency key with a different
// request is conflict.
func (s *Service) EnqueueTx(ctx context.Context, tx pgx.Tx, req Request) (Result, error) {
	return s.enqueueTx(ctx, tx, req, SourceInProcess, "")
}

func (s *Service) enqueueTx(ctx context.Context, tx pgx.Tx, req Request, source, resentFrom string) (Result, error) {
	rendered, data, err := s.validate(req)
	if err != nil {
		return Result{}, err
	}
	q := mailstore.New(tx)
	id := ids.New("dlv_")

	if req.IdempotencyKey != "" {
		hash := requestHash(req, rendered.Locale)
		_, err := q.ClaimIdempotencyKey(ctx, mailstore.ClaimIdempotencyKeyParams{
			IdempotencyKey: req.IdempotencyKey, DeliveryID: id, RequestHash: hash,
			ExpiresAt: s.now().Add(s.cfg.IdempotencyTTL),
		})
		if postgres.IsNoRows(err) {
			return s.duplicate(ctx, q, req.IdempotencyKey, hash)
		}
		if err != nil {
			return Result{}, err
		}
	}

	status := StatusQueued
	if s.provider.Name() == "stub" && isAuthTemplate(req.Template) {
		status = StatusSuppressed
	}
	var key *string
	if req.IdempotencyKey != "" {
		key = &req.IdempotencyKey
	}
	var from *string
	if resentFrom != "" {
		from = &resentFrom
	}
	attachments := req.Attachments
	if attachments == nil {
		attachments = []Attachment{}
	}
	files, err := json.Marshal(attachments)
	if err != nil {
		return Result{}, fmt.Errorf("encode attachments: %w", err)
	}
	// The delivery, its recipients and its payload: one statement.
	if err := q.InsertDelivery(ctx, mailstore.InsertDeliveryParams{
		DeliveryID: id, IdempotencyKey: key, Template: req.Template, Locale: rendered.Locale,
		Status: status, Source: source, MaxAttempts: int32(s.cfg.MaxAttempts), ResentFrom: from, InReplyTo: req.InReplyTo,
		Addresses: req.To, Data: data, Subject: rendered.Subject, TextBody: rendered.Text, HtmlBody: rendered.HTML,
		Attachments: files,
	}); err != nil {
		return Result{}, err
	}
	if status == StatusQueued {
		if _, err := s.river.InsertTx(ctx, tx, SendArgs{DeliveryID: id}, &river.InsertOpts{
			Queue: Queue, MaxAttempts: s.cfg.MaxAttempts,
		}); err != nil {
			return Result{}, fmt.Errorf("enqueue mail job: %w", err)
		}
	}
	s.metrics.accepted(ctx, req.Template, status)
	return Result{DeliveryID: id, Status: status}, nil
}

// duplicate answers a request whose key is held by a live delivery.
func (s *Service) duplicate(ctx context.Context, q *mailstore.Queries, key, hash string) (Result, error) {
	held, err := q.GetIdempotencyKey(ctx, key)
	if err != nil {
		return Result{}, err
	}
	if held.RequestHash != hash {
		return Result{}, errs.E(errs.Conflict, "idempotency key %q was already used for a different request", key).
			WithDetail("idempotency_key", key).WithDetail("delivery_id", held.DeliveryID)
	}
	d, err := q.GetDelivery(ctx, held.DeliveryID)
	if err != nil {
		return Result{}, err
	}
	return Result{DeliveryID: d.DeliveryID, Status: d.Status, Duplicate: true}, nil
}

// validate checks a request and renders it, so that a delivery that cannot
// be rendered is refused at intake rather than failing later.
func (s *Service) validate(req Request) (Rendered, []byte, error) {
	var problems []string
	if strings.TrimSpace(req.Template) == "" {
		problems = append(problems, "template is required")
	}
	if len(req.To) == 0 {
		problems = append(problems, "to needs at least one address")
	}
	if len(req.To) > maxRecipients {
		problems = append(problems, fmt.Sprintf("to has %d addresses, at most %d are allowed", len(req.To), maxRecipients))
	}
	var bad []string
	for _, addr := range req.To {
		if !validAddress(addr) {
			bad = append(bad, addr)
		}
	}
	if len(bad) > 0 {
		problems = append(problems, fmt.Sprintf("invalid email address(es): %s", strings.Join(bad, ", ")))
	}
	if len(req.IdempotencyKey) > 200 {
		problems = append(problems, "idempotency_key is longer than 200 characters")
	}
	if len(problems) > 0 {
		e := errs.E(errs.InvalidArgument, "invalid mail request: %s", strings.Join(problems, "; ")).
			WithDetail("problems", problems)
		if len(bad) > 0 {
			e = e.WithDetail("invalid_addresses", bad)
		}
		return Rendered{}, nil, e
	}
	data := req.Data
	if data == nil {
		data = map[string]any{}
	}
	rendered, err := s.catalog.Render(req.Template, req.Locale, data)
	if err != nil {
		return Rendered{}, nil, err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return Rendered{}, nil, errs.E(errs.InvalidArgument, "data is not JSON-encodable: %v", err)
	}
	return rendered, raw, nil
}

// validAddress accepts a bare address (no display name: the provider builds
// the headers) whose domain has a dot, or is localhost for development.
func validAddress(addr string) bool {
	a, err := netmail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != addr {
		return false
	}
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	return strings.Contains(domain, ".") || domain == "localhost"
}

// requestHash identifies a request's content for idempotency conflicts. The
// data is canonicalised through JSON (sorted keys).
func requestHash(req Request, locale string) string {
	canon, _ := json.Marshal(struct {
		Template string         `json:"template"`
		To       []string       `json:"to"`
		Locale   string         `json:"locale"`
		Data     map[string]any `json:"data"`
	}{req.Template, req.To, locale, req.Data})
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

// AcceptCommand takes one raw mail command from a queue (same body as the
// internal HTTP intake; idempotency key required). A malformed command is
// recorded in mail_malformed_commands and reported as handled, so the queue
// moves on; it returns an error only when nothing durable happened (the
// caller must then redeliver the command).
func (s *Service) AcceptCommand(ctx context.Context, source string, raw []byte) (Result, error) {
	var req Request
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	switch {
	case err != nil:
		err = errs.E(errs.InvalidArgument, "malformed JSON: %v", err)
	case dec.More():
		err = errs.E(errs.InvalidArgument, "trailing data after the JSON command")
	case req.IdempotencyKey == "":
		err = errs.E(errs.InvalidArgument, "idempotency_key is required for queued commands")
	default:
		res, enqErr := s.enqueue(ctx, req, SourceCommand)
		if enqErr == nil {
			return res, nil
		}
		var e *errs.Error
		if !errors.As(enqErr, &e) || (e.Code != errs.InvalidArgument && e.Code != errs.Conflict) {
			return Result{}, enqErr // transient: leave the command for redelivery
		}
		err = enqErr
	}
	if recErr := s.recordMalformed(ctx, source, raw, err); recErr != nil {
		return Result{}, recErr
	}
	s.logger.WarnContext(ctx, "malformed mail command recorded", "source", source, "reason", err)
	return Result{}, nil
}

func (s *Service) recordMalformed(ctx context.Context, source string, raw []byte, reason error) error {
	e := errs.As(reason)
	details, _ := json.Marshal(e.Details)
	return s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		_, err := mailstore.New(tx).InsertMalformedCommand(ctx, mailstore.InsertMalformedCommandParams{
			Source: source, Raw: strings.ToValidUTF8(string(raw), "\uFFFD"), Reason: e.Message, Details: details,
		})
		return err
	})
}

var errIdempotencyKeyRequired = errs.E(errs.InvalidArgument, "idempotency_key is required").
	WithDetail("field", "idempotency_key")
