package auth

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// Handlers serve sign-in, the caller's sessions and the gateways' resolve.
type Handlers struct {
	Service *Service
	Logger  *slog.Logger
	// ClientIP extracts the client's address (trusting proxies as
	// configured).
	ClientIP func(*http.Request) netip.Addr
}

// Guard authenticates /api/v1/user/* with a user token.
func (s *Service) Guard(r *http.Request) (context.Context, error) {
	token, ok := httpx.BearerToken(r)
	if !ok {
		return nil, httpx.ErrMissingToken
	}
	caller, _, _, err := s.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	return authctx.WithUser(r.Context(), caller), nil
}

// CreateLoginCode mails a sign-in code.
func (h *Handlers) CreateLoginCode(w http.ResponseWriter, r *http.Request) {
	var body apigen.LoginCodeRequest
	if err := httpx.DecodeJSON(r, &body); err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	ch, err := h.Service.RequestCode(r.Context(), body.Email, preferredLocale(r), h.ClientIP(r))
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusAccepted, apigen.LoginChallenge{ChallengeId: ch.ID, ExpiresAt: ch.ExpiresAt.UTC()})
}

// CreateSession exchanges a code for a session.
func (h *Handlers) CreateSession(w http.ResponseWriter, r *http.Request) {
	var body apigen.SessionRequest
	if err := httpx.DecodeJSON(r, &body); err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	in, err := h.Service.CreateSession(r.Context(), body.ChallengeId, body.Code, h.ClientIP(r), r.UserAgent())
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, apigen.SessionCreated{
		Token: in.Token, SessionId: in.Session.SessionID, ExpiresAt: in.Session.ExpiresAt.UTC(),
		User: apigen.SessionUser{UserId: in.User.UserID, Email: in.User.Email, DisplayName: in.User.DisplayName,
			CreatedAt: in.User.CreatedAt.UTC()},
	})
}

// ListMySessions lists the caller's live sessions.
func (h *Handlers) ListMySessions(w http.ResponseWriter, r *http.Request, p apigen.ListMySessionsParams) {
	caller, _ := authctx.UserFrom(r.Context())
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	rows, next, err := h.Service.SessionsPage(r.Context(), caller.UserID, limit, after)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sessionsJSON(rows, next, caller.SessionID))
}

// ListUserSessionsAdmin lists a user's live sessions (operators).
func (h *Handlers) ListUserSessionsAdmin(w http.ResponseWriter, r *http.Request, userID string, p apigen.ListUserSessionsAdminParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	rows, next, err := h.Service.SessionsPage(r.Context(), userID, limit, after)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sessionsJSON(rows, next, ""))
}

// sessionsJSON renders a page of sessions; current marks the caller's own.
func sessionsJSON(rows []Session, next *httpx.Cursor, current string) apigen.SessionList {
	out := apigen.SessionList{Items: make([]apigen.SessionInfo, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, s := range rows {
		out.Items[i] = apigen.SessionInfo{
			SessionId: s.SessionID, CreatedAt: s.CreatedAt.UTC(), ExpiresAt: s.ExpiresAt.UTC(),
			LastUsedAt: s.LastUsedAt.UTC(), ClientIp: nonEmpty(s.ClientIp), UserAgent: nonEmpty(s.UserAgent),
			Current: current != "" && s.SessionID == current,
		}
	}
	return out
}

// RevokeCurrentSession signs the caller out.
func (h *Handlers) RevokeCurrentSession(w http.ResponseWriter, r *http.Request) {
	caller, _ := authctx.UserFrom(r.Context())
	h.revoke(w, r, caller.UserID, caller.SessionID, "signed out")
}

// RevokeMySession revokes one of the caller's sessions.
func (h *Handlers) RevokeMySession(w http.ResponseWriter, r *http.Request, sessionID string) {
	caller, _ := authctx.UserFrom(r.Context())
	h.revoke(w, r, caller.UserID, sessionID, "revoked by its owner")
}

func (h *Handlers) revoke(w http.ResponseWriter, r *http.Request, userID, sessionID, reason string) {
	if err := h.Service.RevokeSession(r.Context(), userID, sessionID, reason); err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ResolveSession tells a gateway whom a token belongs to.
func (h *Handlers) ResolveSession(w http.ResponseWriter, r *http.Request) {
	var body apigen.ResolveRequest
	if err := httpx.DecodeJSON(r, &body); err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	s, err := h.Service.Resolve(r.Context(), body.Token)
	if err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, apigen.ResolvedSession{UserId: s.UserID, SessionId: s.SessionID, ExpiresAt: s.ExpiresAt.UTC()})
}

// preferredLocale is the first language of Accept-Language ("de-AT" from
// "de-AT,de;q=0.9"); mail falls back from there.
func preferredLocale(r *http.Request) string {
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	tag, _, _ := strings.Cut(first, ";")
	return strings.TrimSpace(tag)
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
