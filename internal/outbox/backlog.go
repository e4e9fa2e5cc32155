package outbox

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/outbox/outboxstore"
)

// Backlog is the events waiting for the relay: how many, and how long the
// oldest has waited (on the database's clock).
type Backlog struct {
	Pending int64
	Oldest  time.Duration
}

// ReadBacklog reads the relay's backlog (operators' overview; the same
// figures as the outbox_pending gauges).
func ReadBacklog(ctx context.Context, pool *pgxpool.Pool) (Backlog, error) {
	st, err := outboxstore.New(pool).PendingStats(ctx)
	if err != nil {
		return Backlog{}, err
	}
	return Backlog{Pending: st.Pending, Oldest: time.Duration(st.OldestAgeSeconds * float64(time.Second))}, nil
}
