package admin

import (
	"context"
	"net/http"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/admin/adminstore"
	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// SignOut revokes an admin session; every replica's cache drops it.
// Revoking a session already revoked is a no-op.
func (s *Service) SignOut(ctx context.Context, sessionID string) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		sess, err := adminstore.New(tx).RevokeAdminSession(ctx, sessionID)
		if postgres.IsNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		s.cache.Put(sess)
		return pgnotify.Notify(ctx, tx, notifyKind, sessionID)
	})
}

// DeleteAdminSession signs the calling operator out.
func (h *Handlers) DeleteAdminSession(w http.ResponseWriter, r *http.Request) {
	a, _ := authctx.AdminFrom(r.Context())
	if err := h.Service.SignOut(r.Context(), a.SessionID); err != nil {
		httpx.WriteError(r.Context(), w, h.Logger, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
