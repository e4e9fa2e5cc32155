package console

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web"
)

type auditPage struct {
	TargetType, TargetID string
	Entries              []auditRow
	Next                 string
}

type auditRow struct {
	apiclient.AuditEntry
	// DetailsText is the entry's details as compact JSON.
	DetailsText string
}

// audit shows the log of admin actions, newest first.
func (c *Console) audit(w http.ResponseWriter, r *http.Request, token string) {
	q := r.URL.Query()
	p := &auditPage{TargetType: strings.TrimSpace(q.Get("target_type")), TargetID: strings.TrimSpace(q.Get("target_id"))}
	params := &apiclient.ListAuditAdminParams{Limit: &pageSize}
	if p.TargetType != "" {
		params.TargetType = &p.TargetType
	}
	if p.TargetID != "" {
		params.TargetId = &p.TargetID
	}
	if cur := q.Get("cursor"); cur != "" {
		params.Cursor = &cur
	}
	resp, err := c.api.ListAuditAdminWithResponse(r.Context(), params, auth(token))
	if err := web.Check(resp, err); err != nil {
		c.fail(w, r, err)
		return
	}
	for _, e := range resp.JSON200.Items {
		raw, _ := json.Marshal(e.Details)
		p.Entries = append(p.Entries, auditRow{AuditEntry: e, DetailsText: string(raw)})
	}
	if n := resp.JSON200.NextCursor; n != nil {
		next := q
		next.Set("cursor", *n)
		p.Next = next.Encode()
	}
	c.render(w, http.StatusOK, "audit", &View{Title: "Audit log", SignedIn: true, Nav: "audit", Data: p})
}
