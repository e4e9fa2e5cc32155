package lobby

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/outbox"
)

// membershipChanged records a membership event in the change's transaction.
func membershipChanged(ctx context.Context, tx pgx.Tx, gameID, userID, raceName, from, to, reason string) error {
	return outbox.Publish(ctx, tx, outbox.MembershipChanged{GameID: gameID, UserID: userID, RaceName: raceName,
		From: from, To: to, Reason: reason, ChangedAt: time.Now()})
}
