package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/user"
)

// Handlers serve the operator endpoints.
type Handlers struct {
	Service *Service
	Logger  *slog.Logger
	// ClientIP extracts the client's address (trusting proxies as
	// configured), for the per-address sign-in limit; nil: no such limit.
	ClientIP func(*http.Request) netip.Addr
}

// Guard authenticates /api/v1/admin/* with an admin token.
func (s *Service) Guard(r *http.Request) (context.Context, error) {
	token, ok := httpx.BearerToken(r)
	if !ok {
		return nil, httpx.ErrMissingToken
	}
	a, err := s.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	return authctx.WithAdmin(r.Context(), a), nil
}

// AuditActions records every successful state-changing admin request in
// admin_audit_log: the admin, the operation, its target and the request
// body (no admin route takes a secret in its body, save sign-in, which is
// not behind the admin guard and audits itself).
func (s *Service) AuditActions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			httpx.WriteError(r.Context(), w, s.logger, errs.E(errs.PayloadTooLarge, "the request body exceeds %d bytes", httpx.MaxBodyBytes))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status >= 400 {
			return
		}
		a, _ := authctx.AdminFrom(r.Context())
		targetType, targetID := auditTarget(r.URL.Path)
		var details any
		if json.Valid(body) && len(body) > 0 {
			details = json.RawMessage(body)
		}
		// The route pattern ("POST /api/v1/admin/users/{user_id}/block")
		// names the action; the target comes from the path.
		action := r.Pattern
		if action == "" {
			action = r.Method + " " + r.URL.Path
		}
		if err := s.Audit(context.WithoutCancel(r.Context()), a.AdminID, action, targetType, targetID, details); err != nil {
			s.logger.ErrorContext(r.Context(), "admin action done but not audited", "admin_id", a.AdminID,
				"action", r.Method+" "+r.URL.Path, "error", err)
		}
	})
}

// auditTarget reads "/api/v1/admin/users/usr_1/block" as ("users", "usr_1").
func auditTarget(path string) (string, string) {
	parts := strings.Split(strings.TrimPrefix(path, "/api/v1/admin/"), "/")
	switch {
	case len(parts) >= 3 && parts[0] == "mail":
		return parts[1], parts[2]
	case len(parts) >= 2:
		return parts[0], parts[1]
	case len(parts) == 1:
		return parts[0], ""
	}
	return "", ""
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// CreateAdminSession signs an operator in.
func (h *Handlers) CreateAdminSession(w http.ResponseWriter, r *http.Request) {
	var body apigen.AdminSignIn
	if err := httpx.DecodeJSON(r, &body); err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	var ip netip.Addr
	if h.ClientIP != nil {
		ip = h.ClientIP(r)
	}
	token, expires, err := h.Service.SignInFrom(r.Context(), body.Username, body.Password, ip)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, apigen.AdminSessionCreated{Token: token, ExpiresAt: expires.UTC()})
}

// SearchUsers lists users matching ?query=.
func (h *Handlers) SearchUsers(w http.ResponseWriter, r *http.Request, p apigen.SearchUsersParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	query := ""
	if p.Query != nil {
		query = *p.Query
	}
	rows, next, err := h.Service.users.Search(r.Context(), query, limit, after)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	out := apigen.AdminUserList{Items: make([]apigen.UserProfile, len(rows))}
	for i, u := range rows {
		out.Items[i] = user.ProfileJSON(u)
	}
	if next != nil {
		c := next.Encode()
		out.NextCursor = &c
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// BlockUser blocks a user.
func (h *Handlers) BlockUser(w http.ResponseWriter, r *http.Request, userID string) {
	var body apigen.BlockRequest
	if err := httpx.DecodeJSON(r, &body); err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	if strings.TrimSpace(body.Reason) == "" {
		httpx.WriteError(r.Context(), w, h.Logger, errs.E(errs.InvalidArgument, "a reason is required").WithDetail("field", "reason"))
		return
	}
	a, _ := authctx.AdminFrom(r.Context())
	u, err := h.Service.Block(r.Context(), a.AdminID, userID, body.Reason, body.Permanent != nil && *body.Permanent)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, user.ProfileJSON(u))
}

// UnblockUser restores a user.
func (h *Handlers) UnblockUser(w http.ResponseWriter, r *http.Request, userID string) {
	a, _ := authctx.AdminFrom(r.Context())
	u, err := h.Service.Unblock(r.Context(), a.AdminID, userID)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, user.ProfileJSON(u))
}
