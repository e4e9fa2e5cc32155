package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web"
)

var mailStatuses = []apiclient.MailStatus{apiclient.MailStatusQueued, apiclient.MailStatusSending, apiclient.MailStatusSent,
	apiclient.MailStatusSuppressed, apiclient.MailStatusFailed, apiclient.MailStatusCancelled}

type mailListPage struct {
	Recipient, Status, Template string
	Statuses                    []apiclient.MailStatus
	Deliveries                  []apiclient.MailDeliverySummary
	Next                        string
}

// mailList lists deliveries by recipient, status and template, newest
// first. Sign-in codes never show: the admin API masks them.
func (c *Console) mailList(w http.ResponseWriter, r *http.Request, token string) {
	q := r.URL.Query()
	p := &mailListPage{Recipient: strings.TrimSpace(q.Get("recipient")), Status: q.Get("status"),
		Template: strings.TrimSpace(q.Get("template")), Statuses: mailStatuses}
	params := &apiclient.ListMailDeliveriesAdminParams{Limit: &pageSize}
	if p.Recipient != "" {
		params.Recipient = &p.Recipient
	}
	if p.Status != "" {
		st := apiclient.MailStatus(p.Status)
		params.Status = &st
	}
	if p.Template != "" {
		params.Template = &p.Template
	}
	if cur := q.Get("cursor"); cur != "" {
		params.Cursor = &cur
	}
	resp, err := c.api.ListMailDeliveriesAdminWithResponse(r.Context(), params, auth(token))
	if msg, ok := refusal(web.Check(resp, err)); ok {
		c.render(w, http.StatusBadRequest, "mail_list", &View{Title: "Mail", SignedIn: true, Nav: "mail", Error: msg, Data: p})
		return
	}
	if err := web.Check(resp, err); err != nil {
		c.fail(w, r, err)
		return
	}
	p.Deliveries = resp.JSON200.Items
	if n := resp.JSON200.NextCursor; n != nil {
		next := q
		next.Set("cursor", *n)
		p.Next = next.Encode()
	}
	c.render(w, http.StatusOK, "mail_list", &View{Title: "Mail", SignedIn: true, Nav: "mail", Data: p})
}

type mailPage struct {
	Delivery apiclient.MailDelivery
	Done     string
}

// mailShow shows one delivery: its text, its HTML in a sandboxed frame
// (no script, no same-origin access), and every attempt.
func (c *Console) mailShow(w http.ResponseWriter, r *http.Request, token string) {
	resp, err := c.api.GetMailDeliveryAdminWithResponse(r.Context(), r.PathValue("delivery_id"), auth(token))
	if err := web.Check(resp, err); err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, http.StatusOK, "mail_show", &View{Title: resp.JSON200.Subject, SignedIn: true, Nav: "mail",
		Data: &mailPage{Delivery: *resp.JSON200, Done: r.URL.Query().Get("done")}})
}

// mailResend sends a delivery again as a new delivery and opens it.
func (c *Console) mailResend(w http.ResponseWriter, r *http.Request, token string) {
	resp, err := c.api.ResendMailDeliveryAdminWithResponse(r.Context(), r.PathValue("delivery_id"), auth(token))
	if err := web.Check(resp, err); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/mail/"+url.PathEscape(resp.JSON201.DeliveryId)+"?done="+
		url.QueryEscape("Sent again as a new delivery, from "+r.PathValue("delivery_id")+"."), http.StatusSeeOther)
}

// mailHTML serves a delivery's HTML alone, for the sandboxed frame of its
// page: under a policy of its own that runs no script and loads nothing
// from anywhere, framed only by the console. The frame's sandbox forbids
// scripts too; it keeps the same origin only so that browsers render it in
// the page's own process (no script can use that origin).
func (c *Console) mailHTML(w http.ResponseWriter, r *http.Request, token string) {
	resp, err := c.api.GetMailDeliveryAdminWithResponse(r.Context(), r.PathValue("delivery_id"), auth(token))
	if err := web.Check(resp, err); err != nil {
		c.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(resp.JSON200.Html)) //nolint:gosec // the mail as rendered, shown under a no-script policy in a frame without allow-scripts: the point is to show it unchanged
}
