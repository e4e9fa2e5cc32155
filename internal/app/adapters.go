package app

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/jackc/pgx/v5"

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
