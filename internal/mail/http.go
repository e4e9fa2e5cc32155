package mail

import (
	"log/slog"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/mail/mailstore"
)

// Handlers serve the internal and admin mail endpoints. Authentication is
// enforced in front of them, by path prefix, at the edge.
type Handlers struct {
	Service *Service
	Logger  *slog.Logger
}

// CreateMailDeliveryInternal enqueues one delivery for a trusted service.
func (h *Handlers) CreateMailDeliveryInternal(w http.ResponseWriter, r *http.Request) {
	var req Request
	if err := httpx.DecodeJSON(r, &req); err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	if req.IdempotencyKey == "" {
		httpx.WriteError(r.Context(), w, h.Logger, errIdempotencyKeyRequired)
		return
	}
	res, err := h.Service.enqueue(r.Context(), req, SourceInternalAPI)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusAccepted, apigen.MailDeliveryAccepted{
		DeliveryId: res.DeliveryID, Status: apigen.MailStatus(res.Status), Duplicate: res.Duplicate,
	})
}

// Who reads a delivery: a trusted service reads it as sent (the stub
// mailbox of `galaxy dev` shows sign-in codes); an operator reads it with
// its secrets masked (Detail.MaskSecrets).
const (
	asSent   = false
	asMasked = true
)

// ListMailDeliveriesInternal lists deliveries for a trusted service.
func (h *Handlers) ListMailDeliveriesInternal(w http.ResponseWriter, r *http.Request, p apigen.ListMailDeliveriesInternalParams) {
	h.list(w, r, apigen.ListMailDeliveriesAdminParams(p), asSent)
}

// GetMailDeliveryInternal reads one delivery for a trusted service.
func (h *Handlers) GetMailDeliveryInternal(w http.ResponseWriter, r *http.Request, id string) {
	h.get(w, r, id, asSent)
}

// ResendMailDeliveryInternal resends one delivery for a trusted service.
func (h *Handlers) ResendMailDeliveryInternal(w http.ResponseWriter, r *http.Request, id string) {
	h.resend(w, r, id, asSent)
}

// ListMailDeliveriesAdmin lists deliveries for operators, secrets masked.
func (h *Handlers) ListMailDeliveriesAdmin(w http.ResponseWriter, r *http.Request, p apigen.ListMailDeliveriesAdminParams) {
	h.list(w, r, p, asMasked)
}

// GetMailDeliveryAdmin reads one delivery for operators, secrets masked.
func (h *Handlers) GetMailDeliveryAdmin(w http.ResponseWriter, r *http.Request, id string) {
	h.get(w, r, id, asMasked)
}

// ResendMailDeliveryAdmin resends one delivery for operators and answers
// the new one, secrets masked (the mail itself carries them).
func (h *Handlers) ResendMailDeliveryAdmin(w http.ResponseWriter, r *http.Request, id string) {
	h.resend(w, r, id, asMasked)
}

func (h *Handlers) list(w http.ResponseWriter, r *http.Request, p apigen.ListMailDeliveriesAdminParams, masked bool) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	f := Filter{Limit: limit, After: after, MaskSecrets: masked}
	if p.Recipient != nil {
		f.Recipient = *p.Recipient
	}
	if p.Status != nil {
		f.Status = string(*p.Status)
	}
	if p.Template != nil {
		f.Template = *p.Template
	}
	items, next, err := h.Service.List(r.Context(), f)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	out := apigen.MailDeliveryList{Items: make([]apigen.MailDeliverySummary, len(items))}
	for i, it := range items {
		out.Items[i] = summaryJSON(it)
	}
	if next != nil {
		c := next.Encode()
		out.NextCursor = &c
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handlers) get(w http.ResponseWriter, r *http.Request, id string, masked bool) {
	d, err := h.Service.Get(r.Context(), id)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	if masked {
		d = d.MaskSecrets()
	}
	httpx.WriteJSON(w, http.StatusOK, detailJSON(d))
}

func (h *Handlers) resend(w http.ResponseWriter, r *http.Request, id string, masked bool) {
	d, err := h.Service.Resend(r.Context(), id)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	if masked {
		d = d.MaskSecrets()
	}
	httpx.WriteJSON(w, http.StatusCreated, detailJSON(d))
}

func summaryJSON(s Summary) apigen.MailDeliverySummary {
	to := s.To
	if to == nil {
		to = []string{}
	}
	return apigen.MailDeliverySummary{
		DeliveryId:     s.DeliveryID,
		Template:       s.Template,
		Locale:         s.Locale,
		To:             to,
		Status:         apigen.MailStatus(s.Status),
		Source:         apigen.MailDeliverySummarySource(s.Source),
		IdempotencyKey: s.IdempotencyKey,
		AttemptCount:   int(s.AttemptCount),
		MaxAttempts:    int(s.MaxAttempts),
		NextAttemptAt:  s.NextAttemptAt,
		LastError:      s.LastError,
		ResentFrom:     s.ResentFrom,
		CreatedAt:      s.CreatedAt,
		UpdatedAt:      s.UpdatedAt,
		SentAt:         s.SentAt,
	}
}

func detailJSON(d *Detail) apigen.MailDelivery {
	s := summaryJSON(d.Summary)
	out := apigen.MailDelivery{
		DeliveryId: s.DeliveryId, Template: s.Template, Locale: s.Locale, To: s.To, Status: s.Status,
		Source: apigen.MailDeliverySource(s.Source), IdempotencyKey: s.IdempotencyKey, AttemptCount: s.AttemptCount,
		MaxAttempts: s.MaxAttempts, NextAttemptAt: s.NextAttemptAt, LastError: s.LastError, ResentFrom: s.ResentFrom,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, SentAt: s.SentAt,
		Data: d.Data, Subject: d.Subject, Text: d.Text, Html: d.HTML,
		Attempts: make([]apigen.MailAttempt, len(d.Attempts)),
	}
	for i, a := range d.Attempts {
		out.Attempts[i] = attemptJSON(a)
	}
	if dl := d.DeadLetter; dl != nil {
		out.DeadLetter = &apigen.MailDeadLetter{FailedAt: dl.FailedAt, Attempts: int(dl.Attempts), SmtpCode: intPtr(dl.SmtpCode), Reason: dl.Reason}
	}
	return out
}

func attemptJSON(a mailstore.MailAttempt) apigen.MailAttempt {
	return apigen.MailAttempt{
		AttemptNo: int(a.AttemptNo), StartedAt: a.StartedAt, DurationMs: a.DurationMs,
		Outcome: apigen.MailAttemptOutcome(a.Outcome), SmtpCode: intPtr(a.SmtpCode), Error: a.Error,
	}
}

func intPtr(p *int32) *int {
	if p == nil {
		return nil
	}
	v := int(*p)
	return &v
}
