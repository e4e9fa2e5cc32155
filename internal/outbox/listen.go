package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// listen keeps a dedicated connection LISTENing on NotifyChannel and pokes a
// worker for every notification, so events go out right after their commit.
// Polling covers the gaps while this connection is being re-established.
func (r *Relay) listen() {
	defer r.wg.Done()
	var delay time.Duration
	for r.soft.Err() == nil {
		began := time.Now()
		err := r.listenOnce(r.soft)
		if r.soft.Err() != nil {
			return
		}
		if time.Since(began) > time.Minute {
			delay = 0 // it had been working: start the backoff afresh
		}
		delay = nextFailDelay(delay, r.cfg.ReconnectWait, r.loopBackoffCeiling())
		r.logger.Warn("outbox LISTEN connection lost; polling until it is back", "error", err, "retry_in", delay.String())
		r.sleep(false, delay)
	}
}

func (r *Relay) listenOnce(ctx context.Context) error {
	// Not a pool connection: it is held for the process's lifetime and
	// must not count against the pool the business transactions use.
	conn, err := pgx.ConnectConfig(ctx, r.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Commits made while nobody listened notified no one.
	r.poke()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		r.poke()
	}
}
