package events

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// connect opens the NATS connection without waiting for the server: one
// that is down at start-up is retried in the background forever.
func (c *CommandIntake) connect() error {
	nc, err := nats.Connect(c.cfg.NATSURL,
		nats.Name("galaxy-command-intake"),
		nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(c.cfg.ReconnectWait),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			c.logger.Warn("command intake lost NATS; commands wait in the stream", "error", err)
		}),
		nats.ReconnectHandler(func(*nats.Conn) {
			c.logger.Info("command intake reconnected to NATS")
		}),
	)
	if err != nil {
		// The URL may carry credentials: not echoed.
		return fmt.Errorf("command intake: NATS URL: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return fmt.Errorf("command intake: jetstream: %w", err)
	}
	c.nc, c.js = nc, js
	return nil
}

// ensureConsumer makes sure the stream (created when missing, never
// changed when present) and the durable consumer exist. The consumer is
// created or updated to match the configuration: it belongs to the backend.
func (c *CommandIntake) ensureConsumer(ctx context.Context) (jetstream.Consumer, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.AckWait)
	defer cancel()
	_, err := c.js.Stream(ctx, c.cfg.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = c.js.CreateStream(ctx, jetstream.StreamConfig{
			Name:        c.cfg.Stream,
			Description: "Commands for the Galaxy backend",
			Subjects:    c.cfg.StreamSubjects,
			// A command is gone once one consumer acknowledged it.
			Retention: jetstream.WorkQueuePolicy,
			Storage:   jetstream.FileStorage,
			MaxAge:    c.cfg.StreamMaxAge,
		})
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			err = nil // another replica was first
		}
		if err == nil {
			c.logger.Info("command stream created", "stream", c.cfg.Stream, "subjects", c.cfg.StreamSubjects)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", c.cfg.Stream, err)
	}
	cons, err := c.js.CreateOrUpdateConsumer(ctx, c.cfg.Stream, jetstream.ConsumerConfig{
		Durable:       c.cfg.Durable,
		Description:   "Galaxy backend: mail commands",
		FilterSubject: c.cfg.Subject,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       c.cfg.AckWait,
		// Never give up on a command: a failure means the database is
		// unavailable, and malformed commands are acknowledged, not retried.
		MaxDeliver: -1,
	})
	if err != nil {
		return nil, fmt.Errorf("consumer %s: %w", c.cfg.Durable, err)
	}
	return cons, nil
}
