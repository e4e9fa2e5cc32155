package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/notification"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/push"
)

// The adapters below connect modules that cannot import each other (or do
// not exist yet). They only forward; none holds domain logic (seed 000,
// "Cyclic dependency adapters").

// pushPublisher lets domain modules publish JSON payloads to users'
// gateways without knowing the push package.
type pushPublisher struct {
	svc    *push.Service
	logger *slog.Logger
}

// PublishToUsers implements admin.Publisher.
func (p pushPublisher) PublishToUsers(userIDs []string, kind string, payload any) {
	raw, err := json.Marshal(payload)
	if err != nil {
		p.logger.Error("push payload not encodable", "kind", kind, "error", err)
		return
	}
	p.svc.Publish(push.Event{UserIDs: userIDs, Kind: kind, Payload: raw})
}

// blockCascade forwards a permanent block to the lobby's cascade. Until the
// lobby module exists there is nothing to release, and it does nothing.
type blockCascade struct {
	inner interface {
		OnUserBlockedPermanentlyTx(ctx context.Context, tx pgx.Tx, userID string) error
	}
}

// OnUserBlockedPermanentlyTx implements admin.BlockCascade.
func (b *blockCascade) OnUserBlockedPermanentlyTx(ctx context.Context, tx pgx.Tx, userID string) error {
	if b.inner == nil {
		return nil
	}
	return b.inner.OnUserBlockedPermanentlyTx(ctx, tx, userID)
}

// lobbyNotifier forwards the lobby's notification intents to the
// notification module, converting the lobby's Intent into the module's own;
// without a module (nil inner) intents are dropped.
type lobbyNotifier struct {
	inner interface {
		NotifyTx(ctx context.Context, tx pgx.Tx, in notification.Intent) error
	}
}

// NotifyTx implements lobby.Notifier.
func (n *lobbyNotifier) NotifyTx(ctx context.Context, tx pgx.Tx, in lobby.Intent) error {
	if n.inner == nil {
		return nil
	}
	return n.inner.NotifyTx(ctx, tx, notification.Intent{
		Kind: in.Kind, UserIDs: in.UserIDs, Payload: in.Payload, DedupeKey: in.DedupeKey,
	})
}

// pendingExpirer binds the directory's expiry to the database and a batch
// size for the lobby's periodic job.
type pendingExpirer struct {
	names *racenames.Directory
	db    *postgres.DB
}

// ExpirePending implements lobby.PendingExpirer.
func (p pendingExpirer) ExpirePending(ctx context.Context, now time.Time) (int, error) {
	return p.names.ExpirePending(ctx, p.db, now, 500)
}
