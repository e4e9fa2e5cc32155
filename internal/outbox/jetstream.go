package outbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// connect opens the NATS connection without waiting for the server: with
// RetryOnFailedConnect a server that is down at start-up is retried forever
// in the background, like a lost connection later on.
func (r *Relay) connect() error {
	nc, err := nats.Connect(r.cfg.NATSURL,
		nats.Name("galaxy-outbox-relay"),
		nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(r.cfg.ReconnectWait),
		// No reconnect buffer: a publish while disconnected fails at once
		// (the row is retried later) instead of sitting in a client buffer
		// that dies with the process, and workers stop claiming meanwhile.
		nats.ReconnectBufSize(-1),
		nats.ConnectHandler(func(*nats.Conn) {
			r.logger.Info("outbox relay connected to NATS")
			r.poke()
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			r.logger.Warn("outbox relay lost NATS; events accumulate in outbox_events until it is back", "error", err)
		}),
		nats.ReconnectHandler(func(*nats.Conn) {
			r.logger.Info("outbox relay reconnected to NATS; draining pending events")
			// The server may be a fresh one without the stream.
			r.streamReady.Store(false)
			r.poke()
		}),
	)
	if err != nil {
		// Only an unusable URL or option gets here; the URL may carry
		// credentials, so it is not echoed.
		return fmt.Errorf("outbox relay: NATS URL: %w", err)
	}
	js, err := jetstream.New(nc,
		// Resolves futures whose ack never comes (a lost reply) so that a
		// batch cannot hang.
		jetstream.WithPublishAsyncTimeout(r.cfg.PublishTimeout),
		jetstream.WithPublishAsyncMaxPending(max(r.cfg.Workers*r.cfg.BatchSize, 256)),
	)
	if err != nil {
		nc.Close()
		return fmt.Errorf("outbox relay: jetstream: %w", err)
	}
	r.nc, r.js = nc, js
	return nil
}

// streamConfig is the stream the relay creates when it is missing.
func (r *Relay) streamConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        r.cfg.Stream,
		Description: "Galaxy domain events, relayed from the backend's transactional outbox",
		Subjects:    []string{r.cfg.SubjectPrefix + ".>"},
		Retention:   jetstream.LimitsPolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    r.cfg.StreamReplicas,
		MaxAge:      r.cfg.StreamMaxAge,
		// Longer than the longest retry delay: see Config.DuplicateWindow.
		Duplicates: r.cfg.DuplicateWindow,
	}
}

// ensureStream makes sure the stream exists, once per connection. An
// existing stream is not changed (operators may have tuned it); a duplicate
// window too short for the retry policy is reported.
func (r *Relay) ensureStream(ctx context.Context) error {
	if r.streamReady.Load() {
		return nil
	}
	r.streamMu.Lock()
	defer r.streamMu.Unlock()
	if r.streamReady.Load() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.PublishTimeout)
	defer cancel()
	s, err := r.js.Stream(ctx, r.cfg.Stream)
	switch {
	case err == nil:
		info := s.CachedInfo()
		if needed := r.cfg.MaxRetryDelay + r.cfg.PublishTimeout; info.Config.Duplicates < needed {
			r.logger.Warn("outbox stream's duplicate window is shorter than the retry delay; retried publishes may reach consumers twice",
				"stream", r.cfg.Stream, "duplicate_window", info.Config.Duplicates.String(), "needed", needed.String())
		}
	case errors.Is(err, jetstream.ErrStreamNotFound):
		if _, err := r.js.CreateStream(ctx, r.streamConfig()); err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return fmt.Errorf("create stream %s: %w", r.cfg.Stream, err)
		}
		r.logger.Info("outbox stream created", "stream", r.cfg.Stream, "subjects", r.cfg.SubjectPrefix+".>",
			"duplicate_window", r.cfg.DuplicateWindow.String())
	default:
		return fmt.Errorf("look up stream %s: %w", r.cfg.Stream, err)
	}
	r.streamReady.Store(true)
	return nil
}

// connected reports whether NATS is reachable right now; while it is not,
// workers do not claim rows, so an outage does not burn retry attempts.
func (r *Relay) connected() bool { return r.nc.IsConnected() }
