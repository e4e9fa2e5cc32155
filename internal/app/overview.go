package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound"
	"github.com/galaxy-platform/galaxy/internal/notification"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/runtime"
)

// overviewHandlers serve the operators' overview: each domain counts its
// own rows, and this composition root puts the figures side by side, so no
// domain reads another's tables.
type overviewHandlers struct {
	lobby  *lobby.Service
	engine *runtime.Service
	mail   *mail.Service
	inbox  *inbound.Service
	notify *notification.Service
	pool   *pgxpool.Pool
	logger *slog.Logger
}

// GetAdminOverview reads every figure of the overview at once.
func (h *overviewHandlers) GetAdminOverview(w http.ResponseWriter, r *http.Request) {
	var out apigen.AdminOverview
	g, ctx := errgroup.WithContext(r.Context())
	counts := func(into *apigen.CountsByStatus, read func(context.Context) (map[string]int64, error)) {
		g.Go(func() error {
			m, err := read(ctx)
			*into = m
			return err
		})
	}
	counts(&out.Games, h.lobby.CountByStatus)
	counts(&out.Engines, h.engine.CountByStatus)
	counts(&out.Mail, h.mail.CountByStatus)
	counts(&out.InboundMail, h.inbox.CountByStatus)
	g.Go(func() (err error) {
		out.NotificationDeadLetters, err = h.notify.CountDeadLetters(ctx)
		return err
	})
	g.Go(func() error {
		b, err := outbox.ReadBacklog(ctx, h.pool)
		out.OutboxPending, out.OutboxOldestPendingSeconds = b.Pending, float32(b.Oldest.Seconds())
		return err
	})
	if err := g.Wait(); err != nil {
		httpx.WriteError(r.Context(), w, h.logger, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
