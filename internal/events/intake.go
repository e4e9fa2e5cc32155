package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/galaxy-platform/galaxy/internal/mail"
)

// MailCommands is the mail module as the intake needs it; *mail.Service
// satisfies it.
type MailCommands interface {
	// AcceptCommand takes one raw command body. It returns nil once the
	// command is durably a delivery (or a duplicate of one) or durably
	// recorded as malformed; an error means nothing durable happened and the
	// command must be delivered again.
	AcceptCommand(ctx context.Context, source string, raw []byte) (mail.Result, error)
}

var _ MailCommands = (*mail.Service)(nil)

// Options are the intake's collaborators beyond its configuration.
type Options struct {
	// Logger receives the intake's logs; nil discards them.
	Logger *slog.Logger
	// Tracer starts a span per command; nil uses the global provider.
	Tracer trace.Tracer
	// Meter records the intake metrics; nil records none.
	Meter metric.Meter
}

// CommandIntake is a lifecycle component that pulls mail commands from a
// durable JetStream consumer and hands them to the mail module, at most
// MaxInFlight at a time. Start returns at once, also while NATS is down.
type CommandIntake struct {
	cfg     Config
	mail    MailCommands
	logger  *slog.Logger
	tracer  trace.Tracer
	metrics *metrics

	nc *nats.Conn
	js jetstream.JetStream
	// consumer is owned by the fetch loop; nil until the stream and the
	// durable consumer are known to exist.
	consumer jetstream.Consumer

	// slots bounds the commands in flight.
	slots chan struct{}
	// soft stops fetching; hard cuts in-flight handling short, only when
	// Stop's deadline passes.
	soft, hard             context.Context
	softCancel, hardCancel context.CancelFunc
	loop, handlers         sync.WaitGroup
	started                bool
}

// NewCommandIntake validates cfg and builds the intake; it connects to
// nothing yet.
func NewCommandIntake(cfg Config, commands MailCommands, opts Options) (*CommandIntake, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if commands == nil {
		return nil, errors.New("command intake: no mail module")
	}
	cfg = cfg.withDefaults()
	c := &CommandIntake{cfg: cfg, mail: commands, logger: opts.Logger, tracer: opts.Tracer,
		slots: make(chan struct{}, cfg.MaxInFlight)}
	if c.logger == nil {
		c.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c.logger = c.logger.With("component", "command-intake", "subject", cfg.Subject)
	if c.tracer == nil {
		c.tracer = otel.Tracer("galaxy/events")
	}
	var err error
	if c.metrics, err = newMetrics(opts.Meter); err != nil {
		return nil, fmt.Errorf("command intake: metrics: %w", err)
	}
	return c, nil
}

// Name implements lifecycle.Component.
func (c *CommandIntake) Name() string { return "command-intake" }

// Enabled reports whether a NATS URL is configured.
func (c *CommandIntake) Enabled() bool { return c.cfg.NATSURL != "" }

// Start connects in the background and begins pulling commands. Without a
// NATS URL it does nothing. It fails only on an unusable configuration; NATS
// being down is retried for as long as the intake runs.
func (c *CommandIntake) Start(ctx context.Context) error {
	if c.started {
		return errors.New("command intake: already started")
	}
	if !c.Enabled() {
		c.logger.InfoContext(ctx, "command intake disabled: no NATS URL configured")
		return nil
	}
	// The loop must outlive the start-up context; Stop ends it.
	c.soft, c.softCancel = context.WithCancel(context.WithoutCancel(ctx))
	c.hard, c.hardCancel = context.WithCancel(context.WithoutCancel(ctx))
	if err := c.connect(); err != nil {
		c.softCancel()
		c.hardCancel()
		return err
	}
	c.loop.Add(1)
	go c.run()
	c.started = true
	c.logger.InfoContext(ctx, "command intake started", "stream", c.cfg.Stream, "durable", c.cfg.Durable,
		"max_in_flight", c.cfg.MaxInFlight)
	return nil
}

// Stop stops fetching, waits for the commands in flight to be handled and
// acknowledged, then closes the connection. If ctx ends first, in-flight
// handling is cancelled; those commands are not acknowledged and JetStream
// delivers them again.
func (c *CommandIntake) Stop(ctx context.Context) error {
	if !c.started {
		return nil
	}
	c.softCancel()
	done := make(chan struct{})
	go func() {
		c.loop.Wait() // no new handler starts after this
		c.handlers.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		c.hardCancel()
		<-done
		err = fmt.Errorf("command intake: in-flight commands cut short: %w", ctx.Err())
	}
	c.hardCancel()
	c.nc.Close()
	return err
}
