package mail

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/mail/mailstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Filter selects deliveries for operators; empty fields match everything.
type Filter struct {
	Recipient, Status, Template string
	Limit                       int
	After                       *httpx.Cursor
	// MaskSecrets masks the secrets an error may repeat (see
	// Detail.MaskSecrets): set for operators, unset for trusted services.
	MaskSecrets bool
}

// Summary is a delivery without its content.
type Summary struct {
	mailstore.MailDelivery
	To []string
}

// Detail is a delivery with its rendered content, attempts and dead letter.
type Detail struct {
	Summary
	Data    map[string]any
	Subject string
	Text    string
	HTML    string
	// Attachments are the files sent with the mail (a resend sends them
	// again).
	Attachments []Attachment
	Attempts    []mailstore.MailAttempt
	DeadLetter  *mailstore.MailDeadLetter
}

// ErrNotFound is returned for an unknown delivery id.
var ErrNotFound = errs.E(errs.NotFound, "no such mail delivery")

// List returns one page of deliveries, newest first, and the cursor of the
// next page (nil on the last one).
func (s *Service) List(ctx context.Context, f Filter) ([]Summary, *httpx.Cursor, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	q := mailstore.New(s.pool())
	p := mailstore.ListDeliveriesParams{MaxRows: int32(f.Limit + 1)}
	if f.Recipient != "" {
		p.Recipient = &f.Recipient
	}
	if f.Status != "" {
		p.Status = &f.Status
	}
	if f.Template != "" {
		p.Template = &f.Template
	}
	if f.After != nil {
		p.BeforeCreated, p.BeforeID = &f.After.At, &f.After.ID
	}
	rows, err := q.ListDeliveries(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	var next *httpx.Cursor
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		last := rows[len(rows)-1]
		next = &httpx.Cursor{At: last.CreatedAt, ID: last.DeliveryID}
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.DeliveryID
	}
	recips, err := q.ListRecipientsFor(ctx, ids)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	to := map[string][]string{}
	for _, r := range recips {
		to[r.DeliveryID] = append(to[r.DeliveryID], r.Address)
	}
	out := make([]Summary, len(rows))
	var failed []string
	for i, r := range rows {
		out[i] = Summary{MailDelivery: r, To: to[r.DeliveryID]}
		if r.LastError != nil {
			failed = append(failed, r.DeliveryID)
		}
	}
	if f.MaskSecrets && len(failed) > 0 {
		payloads, err := q.ListPayloadDataFor(ctx, failed)
		if err != nil {
			return nil, nil, postgres.Translate(err)
		}
		data := make(map[string]map[string]any, len(payloads))
		for _, p := range payloads {
			var d map[string]any
			if err := json.Unmarshal(p.Data, &d); err != nil {
				return nil, nil, fmt.Errorf("decode the data of %s: %w", p.DeliveryID, err)
			}
			data[p.DeliveryID] = d
		}
		maskSummaries(out, data)
	}
	return out, next, nil
}

// Get returns one delivery with everything operators need to read it.
func (s *Service) Get(ctx context.Context, id string) (*Detail, error) {
	var d *Detail
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) (err error) {
		d, err = getDetail(ctx, mailstore.New(tx), id)
		return err
	})
	return d, err
}

func getDetail(ctx context.Context, q *mailstore.Queries, id string) (*Detail, error) {
	row, err := q.GetDelivery(ctx, id)
	if postgres.IsNoRows(err) {
		return nil, ErrNotFound.WithDetail("delivery_id", id)
	}
	if err != nil {
		return nil, err
	}
	d := &Detail{Summary: Summary{MailDelivery: row}}
	if d.To, err = q.ListRecipients(ctx, id); err != nil {
		return nil, err
	}
	p, err := q.GetPayload(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(p.Data, &d.Data); err != nil {
		return nil, err
	}
	d.Subject, d.Text, d.HTML = p.Subject, p.TextBody, p.HtmlBody
	if err := json.Unmarshal(p.Attachments, &d.Attachments); err != nil {
		return nil, fmt.Errorf("attachments of %s: %w", id, err)
	}
	if d.Attempts, err = q.ListAttempts(ctx, id); err != nil {
		return nil, err
	}
	dl, err := q.GetDeadLetter(ctx, id)
	switch {
	case err == nil:
		d.DeadLetter = &dl
	case !postgres.IsNoRows(err):
		return nil, err
	}
	return d, nil
}

// Resend creates a new delivery with the original's template, locale,
// recipients and data, linked to it through resent_from, and queues it (in
// stub mode auth mail is suppressed again).
func (s *Service) Resend(ctx context.Context, id string) (*Detail, error) {
	var d *Detail
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := mailstore.New(tx)
		orig, err := getDetail(ctx, q, id)
		if err != nil {
			return err
		}
		res, err := s.enqueueTx(ctx, tx, Request{
			Template: orig.Template, Locale: orig.Locale, To: orig.To, Data: orig.Data, Attachments: orig.Attachments,
		}, SourceResend, id)
		if err != nil {
			return err
		}
		d, err = getDetail(ctx, q, res.DeliveryID)
		return err
	})
	if err == nil {
		s.logger.InfoContext(ctx, "mail resent", "original", id, "delivery_id", d.DeliveryID)
	}
	return d, err
}
