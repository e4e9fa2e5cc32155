package lobby

import (
	"context"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// MembersForAdmin lists any game's memberships (operators).
func (s *Service) MembersForAdmin(ctx context.Context, gameID string) ([]Membership, error) {
	if _, err := s.GameForAdmin(ctx, gameID); err != nil {
		return nil, err
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := lobbystore.New(s.db.Pool).ListMembers(ctx, gameID)
	return rows, postgres.Translate(err)
}

// GetGameAdmin returns any game (operators).
func (h *Handlers) GetGameAdmin(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.GameForAdmin(r.Context(), gameID)
	h.game(w, r, g, err, http.StatusOK)
}

// ListGameMembersAdmin lists any game's members (operators).
func (h *Handlers) ListGameMembersAdmin(w http.ResponseWriter, r *http.Request, gameID string, p apigen.ListGameMembersAdminParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, err := h.Service.MembersForAdmin(r.Context(), gameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.members(w, rows, limit, after)
}

// ListUserGamesAdmin lists the games a user owns or plays in (operators).
func (h *Handlers) ListUserGamesAdmin(w http.ResponseWriter, r *http.Request, userID string, p apigen.ListUserGamesAdminParams) {
	h.list(w, r, p.Limit, p.Cursor, func(n int, after *httpx.Cursor) (Page, error) {
		return h.Service.ListForUser(r.Context(), userID, n, after)
	})
}
