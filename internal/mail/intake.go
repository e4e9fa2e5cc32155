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
	out, err := s.enqueueManyTx(ctx, tx, []intake{{req: req, source: source, resentFrom: resentFrom}})
	if err != nil {
		return Result{}, err
	}
	return out[0].Result, out[0].Err
}

// Outcome is what intake did with one request of a batch: its result, or
// the reason it was refused (invalid_argument, or conflict for a reused
// idempotency key).
type Outcome struct {
	Result
	Err error
}

// EnqueueManyTx accepts deliveries inside the caller's transaction, in a
// fixed number of statements whatever their number (a turn's mail to every
// player, a batch of notification routes). Each request is accepted or
// refused on its own: a refused one has its Outcome.Err and leaves no row.
// The returned error is the database's, which aborts tx.
func (s *Service) EnqueueManyTx(ctx context.Context, tx pgx.Tx, reqs []Request) ([]Outcome, error) {
	in := make([]intake, len(reqs))
	for i, r := range reqs {
		in[i] = intake{req: r, source: SourceInProcess}
	}
	return s.enqueueManyTx(ctx, tx, in)
}

// intake is one request with where it came from.
type intake struct {
	req        Request
	source     string
	resentFrom string // the delivery this one resends, if any
}

// pendingDelivery is a validated request on its way into the batch.
type pendingDelivery struct {
	at       int // index in the batch
	id       string
	rendered Rendered
	data     []byte
	files    []byte
	status   string
}

// enqueueManyTx is intake: validate and render every request, claim the
// idempotency keys, write the deliveries, then enqueue their jobs: three
// statements for the whole batch, plus two per request whose key another
// delivery holds (answered as that delivery, or refused as a conflict).
func (s *Service) enqueueManyTx(ctx context.Context, tx pgx.Tx, batch []intake) ([]Outcome, error) {
	out := make([]Outcome, len(batch))
	q := mailstore.New(tx)
	var fresh []pendingDelivery
	claimed := map[string]bool{}
	var repeats []int // requests whose key another delivery holds
	hashes := make([]string, len(batch))
	var claim mailstore.ClaimIdempotencyKeysParams
	for i, in := range batch {
		rendered, data, err := s.validate(in.req)
		if err != nil {
			out[i].Err = err
			continue
		}
		files, err := json.Marshal(orEmpty(in.req.Attachments))
		if err != nil {
			return nil, fmt.Errorf("encode attachments: %w", err)
		}
		p := pendingDelivery{at: i, id: ids.New("dlv_"), rendered: rendered, data: data, files: files, status: StatusQueued}
		if s.provider.Name() == "stub" && isAuthTemplate(in.req.Template) {
			p.status = StatusSuppressed
		}
		if key := in.req.IdempotencyKey; key != "" {
			hashes[i] = requestHash(in.req, rendered.Locale)
			if _, dup := claimed[key]; dup { // an earlier request of the batch claims it
				repeats = append(repeats, i)
				continue
			}
			claimed[key] = false
			claim.IdempotencyKeys = append(claim.IdempotencyKeys, key)
			claim.DeliveryIds = append(claim.DeliveryIds, p.id)
			claim.RequestHashes = append(claim.RequestHashes, hashes[i])
			claim.ExpiresAt = append(claim.ExpiresAt, s.now().Add(s.cfg.IdempotencyTTL))
		}
		fresh = append(fresh, p)
	}
	if len(claim.IdempotencyKeys) > 0 {
		taken, err := q.ClaimIdempotencyKeys(ctx, claim)
		if err != nil {
			return nil, err
		}
		for _, k := range taken {
			claimed[k] = true
		}
	}

	var rows mailstore.InsertDeliveriesParams
	var jobs []river.InsertManyParams
	kept := fresh[:0]
	for _, p := range fresh {
		req := batch[p.at].req
		if req.IdempotencyKey != "" && !claimed[req.IdempotencyKey] {
			repeats = append(repeats, p.at) // held by a live delivery from before
			continue
		}
		kept = append(kept, p)
		rows.DeliveryIds = append(rows.DeliveryIds, p.id)
		rows.IdempotencyKeys = append(rows.IdempotencyKeys, req.IdempotencyKey)
		rows.Templates = append(rows.Templates, req.Template)
		rows.Locales = append(rows.Locales, p.rendered.Locale)
		rows.Statuses = append(rows.Statuses, p.status)
		rows.Sources = append(rows.Sources, batch[p.at].source)
		rows.MaxAttempts = append(rows.MaxAttempts, int32(s.cfg.MaxAttempts))
		rows.ResentFroms = append(rows.ResentFroms, batch[p.at].resentFrom)
		rows.InReplyTos = append(rows.InReplyTos, req.InReplyTo)
		rows.Data = append(rows.Data, p.data)
		rows.Subjects = append(rows.Subjects, p.rendered.Subject)
		rows.TextBodies = append(rows.TextBodies, p.rendered.Text)
		rows.HtmlBodies = append(rows.HtmlBodies, p.rendered.HTML)
		rows.Attachments = append(rows.Attachments, p.files)
		for pos, addr := range req.To {
			rows.RecipientDeliveryIds = append(rows.RecipientDeliveryIds, p.id)
			rows.RecipientPositions = append(rows.RecipientPositions, int32(pos))
			rows.RecipientAddresses = append(rows.RecipientAddresses, addr)
		}
		if p.status == StatusQueued {
			jobs = append(jobs, river.InsertManyParams{Args: SendArgs{DeliveryID: p.id},
				InsertOpts: &river.InsertOpts{Queue: Queue, MaxAttempts: s.cfg.MaxAttempts}})
		}
	}
	if len(kept) > 0 {
		if err := q.InsertDeliveries(ctx, rows); err != nil {
			return nil, err
		}
	}
	if len(jobs) > 0 {
		if _, err := s.river.InsertManyTx(ctx, tx, jobs); err != nil {
			return nil, fmt.Errorf("enqueue mail jobs: %w", err)
		}
	}
	for _, p := range kept {
		out[p.at].Result = Result{DeliveryID: p.id, Status: p.status}
		s.metrics.accepted(ctx, batch[p.at].req.Template, p.status)
	}
	// Keys held by other deliveries are answered last, once this batch's
	// own deliveries exist (a repeat may name one of them).
	for _, i := range repeats {
		res, err := s.duplicate(ctx, q, batch[i].req.IdempotencyKey, hashes[i])
		if err != nil && errs.CodeOf(err) != errs.Conflict {
			return nil, err
		}
		out[i] = Outcome{Result: res, Err: err}
	}
	return out, nil
}

// orEmpty stores no attachments as an empty list, not null.
func orEmpty(files []Attachment) []Attachment {
	if files == nil {
		return []Attachment{}
	}
	return files
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
