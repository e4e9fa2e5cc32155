package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/galaxy-platform/galaxy/internal/admin/adminstore"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// AuditFilter selects audit entries; empty fields match all.
type AuditFilter struct {
	AdminID, TargetType, TargetID string
	Limit                         int
	After                         *httpx.Cursor
}

// AuditEntry is one admin action as operators read it.
type AuditEntry = adminstore.PageAuditRow

// AuditPage returns one page of the audit log, newest first.
func (s *Service) AuditPage(ctx context.Context, f AuditFilter) ([]AuditEntry, *httpx.Cursor, error) {
	p := adminstore.PageAuditParams{MaxRows: int32(f.Limit + 1)}
	for _, v := range []struct {
		value string
		into  **string
	}{{f.AdminID, &p.AdminID}, {f.TargetType, &p.TargetType}, {f.TargetID, &p.TargetID}} {
		if v.value != "" {
			*v.into = &v.value
		}
	}
	if f.After != nil {
		id, err := strconv.ParseInt(f.After.ID, 10, 64)
		if err != nil {
			return nil, nil, errs.E(errs.InvalidArgument, "cursor is not one this server issued").WithDetail("field", "cursor")
		}
		p.BeforeID = &id
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := adminstore.New(s.db.Pool).PageAudit(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	rows, next := httpx.PageOf(rows, f.Limit, func(e AuditEntry) httpx.Cursor {
		return httpx.Cursor{At: e.CreatedAt, ID: strconv.FormatInt(e.EntryID, 10)}
	})
	return rows, next, nil
}

// ListAuditAdmin lists the audit log for operators.
func (h *Handlers) ListAuditAdmin(w http.ResponseWriter, r *http.Request, p apigen.ListAuditAdminParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	f := AuditFilter{Limit: limit, After: after}
	for _, v := range []struct {
		from *string
		into *string
	}{{p.AdminId, &f.AdminID}, {p.TargetType, &f.TargetType}, {p.TargetId, &f.TargetID}} {
		if v.from != nil {
			*v.into = *v.from
		}
	}
	rows, next, err := h.Service.AuditPage(r.Context(), f)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	out := apigen.AuditEntryList{Items: make([]apigen.AuditEntry, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, e := range rows {
		details := map[string]any{}
		_ = json.Unmarshal(e.Details, &details)
		adminID := ""
		if e.AdminID != nil {
			adminID = *e.AdminID
		}
		out.Items[i] = apigen.AuditEntry{EntryId: e.EntryID, AdminId: adminID, AdminUsername: e.AdminUsername,
			Action: e.Action, TargetType: e.TargetType, TargetId: e.TargetID, Details: details, CreatedAt: e.CreatedAt.UTC()}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
