package inbound

import (
	"context"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound/commands"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound/inboundstore"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound/mailtext"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Filter selects inbound mail for operators; empty fields match all.
type Filter struct {
	Status, Sender string
	Limit          int
	After          *httpx.Cursor
}

// Page returns one page of inbound mail, newest first, for operators.
func (s *Service) Page(ctx context.Context, f Filter) ([]inboundstore.PageInboundRow, *httpx.Cursor, error) {
	p := inboundstore.PageInboundParams{MaxRows: int32(f.Limit + 1)}
	if f.Status != "" {
		p.Status = &f.Status
	}
	if f.Sender != "" {
		p.Sender = &f.Sender
	}
	if f.After != nil {
		p.BeforeReceived, p.BeforeID = &f.After.At, &f.After.ID
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := inboundstore.New(s.db.Pool).PageInbound(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	rows, next := httpx.PageOf(rows, f.Limit, func(r inboundstore.PageInboundRow) httpx.Cursor {
		return httpx.Cursor{At: r.ReceivedAt, ID: r.InboundID}
	})
	return rows, next, nil
}

// Inbound returns one inbound mail for operators, with its text and every
// orders password in it masked: the raw message never leaves the database.
func (s *Service) Inbound(ctx context.Context, id string) (inboundstore.InboundMail, string, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	row, err := inboundstore.New(s.db.Pool).GetInbound(ctx, id)
	if postgres.IsNoRows(err) {
		return row, "", errs.E(errs.NotFound, "no such inbound mail").WithDetail("inbound_id", id)
	}
	if err != nil {
		return row, "", postgres.Translate(err)
	}
	msg, err := mailtext.Extract(row.Raw)
	if err != nil {
		return row, "(unreadable: " + err.Error() + ")", nil
	}
	return row, commands.MaskPasswords(msg.Text), nil
}

// ListInboundMailAdmin lists inbound mail for operators.
func (h *Handlers) ListInboundMailAdmin(w http.ResponseWriter, r *http.Request, p apigen.ListInboundMailAdminParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := Filter{Limit: limit, After: after}
	if p.Status != nil {
		f.Status = string(*p.Status)
	}
	if p.Sender != nil {
		f.Sender = *p.Sender
	}
	rows, next, err := h.Service.Page(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.InboundMailList{Items: make([]apigen.InboundMail, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, m := range rows {
		out.Items[i] = inboundJSON(inboundstore.InboundMail{InboundID: m.InboundID, MessageID: m.MessageID, Source: m.Source,
			EnvelopeFrom: m.EnvelopeFrom, Sender: m.Sender, Subject: m.Subject, SizeBytes: m.SizeBytes, Status: m.Status,
			Outcome: m.Outcome, ReceivedAt: m.ReceivedAt, ProcessedAt: m.ProcessedAt})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// GetInboundMailAdmin returns one inbound mail for operators.
func (h *Handlers) GetInboundMailAdmin(w http.ResponseWriter, r *http.Request, id string) {
	row, text, err := h.Service.Inbound(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := inboundJSON(row)
	out.Text = &text
	httpx.WriteJSON(w, http.StatusOK, out)
}

func inboundJSON(m inboundstore.InboundMail) apigen.InboundMail {
	return apigen.InboundMail{InboundId: m.InboundID, MessageId: m.MessageID, Source: apigen.InboundMailSource(m.Source),
		EnvelopeFrom: m.EnvelopeFrom, Sender: m.Sender, Subject: m.Subject, SizeBytes: int(m.SizeBytes),
		Status: apigen.InboundMailStatus(m.Status), Outcome: m.Outcome, ReceivedAt: m.ReceivedAt.UTC(), ProcessedAt: m.ProcessedAt}
}
