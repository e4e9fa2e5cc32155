// Package pgnotify keeps in-memory caches correct across backend replicas
// with PostgreSQL LISTEN/NOTIFY.
//
// A writer calls Notify inside the transaction that changes a cached row;
// PostgreSQL delivers the notification to every listening replica only if,
// and when, that transaction commits. Each replica runs one Listener on a
// dedicated connection that dispatches notifications to the handlers of
// their kind. Notifications sent while a listener is disconnected are lost,
// so after every reconnection the listener calls its resync hooks, which
// reload the caches.
package pgnotify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Channel is the one PostgreSQL channel all cache notifications use.
const Channel = "galaxy_cache"

// message is a notification's payload.
type message struct {
	Kind string `json:"k"`
	ID   string `json:"id"`
}

// Notify queues a notification in tx: delivered to every listener when tx
// commits, never if it rolls back.
func Notify(ctx context.Context, tx pgx.Tx, kind, id string) error {
	payload, err := json.Marshal(message{Kind: kind, ID: id})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, string(payload))
	return err
}

// Listener receives cache notifications for one process.
type Listener struct {
	pool   *pgxpool.Pool
	logger *slog.Logger

	mu       sync.RWMutex
	handlers map[string][]func(id string)
	resyncs  []func(ctx context.Context) error

	conn   *pgx.Conn
	cancel context.CancelFunc
	done   chan struct{}
}

// NewListener returns a listener that will connect with the pool's settings.
func NewListener(pool *pgxpool.Pool, logger *slog.Logger) *Listener {
	return &Listener{pool: pool, logger: logger, handlers: map[string][]func(string){}}
}

// Handle registers fn for notifications of kind. Register before Start.
func (l *Listener) Handle(kind string, fn func(id string)) {
	l.mu.Lock()
	l.handlers[kind] = append(l.handlers[kind], fn)
	l.mu.Unlock()
}

// OnResync registers fn to run after every reconnection (notifications may
// have been missed). Register before Start.
func (l *Listener) OnResync(fn func(ctx context.Context) error) {
	l.mu.Lock()
	l.resyncs = append(l.resyncs, fn)
	l.mu.Unlock()
}

// Name implements lifecycle.Component.
func (l *Listener) Name() string { return "cache-listener" }

// Start connects and LISTENs before returning, so caches warmed after it
// miss no change.
func (l *Listener) Start(ctx context.Context) error {
	conn, err := l.connect(ctx)
	if err != nil {
		return err
	}
	l.conn = conn
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l.cancel = cancel
	l.done = make(chan struct{})
	go l.loop(runCtx) //nolint:gosec // the loop outlives Start by design; Stop cancels it
	return nil
}

// Stop ends the listener and closes its connection.
func (l *Listener) Stop(ctx context.Context) error {
	l.cancel()
	select {
	case <-l.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *Listener) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, l.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("cache listener: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		_ = conn.Close(ctx)
		return nil, fmt.Errorf("cache listener: %w", err)
	}
	return conn, nil
}

func (l *Listener) loop(ctx context.Context) {
	defer close(l.done)
	defer func() {
		if l.conn != nil {
			_ = l.conn.Close(context.Background())
		}
	}()
	for {
		n, err := l.conn.WaitForNotification(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			l.logger.Warn("cache listener lost its connection; reconnecting", "error", err)
			_ = l.conn.Close(context.Background())
			l.conn = nil
			if !l.reconnect(ctx) {
				return
			}
			continue
		}
		l.dispatch(n.Payload)
	}
}

// reconnect retries until connected (then resyncs) or ctx ends.
func (l *Listener) reconnect(ctx context.Context) bool {
	delay := 100 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(delay):
		}
		conn, err := l.connect(ctx)
		if err != nil {
			l.logger.Warn("cache listener reconnect failed", "error", err)
			delay = min(delay*2, 5*time.Second)
			continue
		}
		l.conn = conn
		l.mu.RLock()
		resyncs := append([]func(context.Context) error(nil), l.resyncs...)
		l.mu.RUnlock()
		var errs []error
		for _, fn := range resyncs {
			errs = append(errs, fn(ctx))
		}
		if err := errors.Join(errs...); err != nil {
			l.logger.Error("cache resync after reconnect failed", "error", err)
		} else {
			l.logger.Info("cache listener reconnected; caches resynced")
		}
		return true
	}
}

func (l *Listener) dispatch(payload string) {
	var m message
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		l.logger.Warn("ignoring malformed cache notification", "payload", payload)
		return
	}
	l.mu.RLock()
	hs := l.handlers[m.Kind]
	l.mu.RUnlock()
	for _, h := range hs {
		h(m.ID)
	}
}
