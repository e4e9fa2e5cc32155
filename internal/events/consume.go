package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/outbox"
)

// run is the fetch loop: it pulls as many commands as there are free slots
// and hands each to its own goroutine, until Stop.
func (c *CommandIntake) run() {
	defer c.loop.Done()
	var failDelay time.Duration
	for c.soft.Err() == nil {
		if !c.nc.IsConnected() {
			c.sleep(c.cfg.ReconnectWait)
			continue
		}
		if c.consumer == nil {
			cons, err := c.ensureConsumer(c.soft)
			if err != nil {
				failDelay = nextFailDelay(failDelay, c.cfg.ReconnectWait, c.cfg.MaxRetryDelay)
				c.logger.Warn("command intake cannot set up its consumer; retrying", "error", err, "retry_in", failDelay.String())
				c.sleep(failDelay)
				continue
			}
			c.consumer = cons
		}
		n := c.acquire()
		if n == 0 {
			return // stopping
		}
		batch, err := c.consumer.Fetch(n, jetstream.FetchMaxWait(c.cfg.FetchWait))
		if err != nil {
			c.release(n)
			failDelay = c.fetchFailed(err, failDelay)
			continue
		}
		for msg := range batch.Messages() {
			n--
			c.handlers.Add(1)
			go c.handle(msg)
		}
		c.release(n)
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, context.DeadlineExceeded) {
			failDelay = c.fetchFailed(err, failDelay)
			continue
		}
		failDelay = 0
	}
}

// fetchFailed logs a failed pull, forgets the consumer when it is gone
// (deleted, or a fresh server), and waits before the next attempt.
func (c *CommandIntake) fetchFailed(err error, prev time.Duration) time.Duration {
	if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrConsumerDeleted) ||
		errors.Is(err, jetstream.ErrStreamNotFound) || errors.Is(err, jetstream.ErrNoStreamResponse) ||
		errors.Is(err, nats.ErrNoResponders) {
		c.consumer = nil
	}
	d := nextFailDelay(prev, c.cfg.ReconnectWait, c.cfg.MaxRetryDelay)
	if c.soft.Err() == nil {
		c.logger.Warn("command intake fetch failed; retrying", "error", err, "retry_in", d.String())
		c.sleep(d)
	}
	return d
}

// acquire blocks until at least one slot is free and takes every free slot;
// it returns how many it took, 0 when stopping.
func (c *CommandIntake) acquire() int {
	select {
	case c.slots <- struct{}{}:
	case <-c.soft.Done():
		return 0
	}
	n := 1
	for n < c.cfg.MaxInFlight {
		select {
		case c.slots <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}

func (c *CommandIntake) release(n int) {
	for range n {
		<-c.slots
	}
}

// handle gives one command to the mail module and acknowledges it only when
// the module made it durable; otherwise it asks for a redelivery after a
// backoff that grows with the delivery count.
func (c *CommandIntake) handle(msg jetstream.Msg) {
	defer c.handlers.Done()
	defer c.release(1)
	begin := time.Now()

	var deliveries uint64 = 1
	source := "nats:" + msg.Subject()
	if md, err := msg.Metadata(); err == nil {
		deliveries = md.NumDelivered
		source = fmt.Sprintf("nats:%s/%s#%d", c.cfg.Stream, msg.Subject(), md.Sequence.Stream)
	}
	// Continue the producer's trace when it sent one.
	parent := otel.GetTextMapPropagator().Extract(c.hard, outbox.HeaderCarrier(msg.Headers()))
	ctx, span := c.tracer.Start(parent, "mail.command", trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("messaging.system", "nats"),
			attribute.String("messaging.destination.name", msg.Subject()),
			attribute.Int64("messaging.nats.delivery_count", int64(deliveries)),
		))
	defer span.End()
	// Cut off before JetStream gives up on us and delivers it elsewhere.
	ctx, cancel := context.WithTimeout(ctx, c.cfg.AckWait*4/5)
	defer cancel()

	res, err := c.mail.AcceptCommand(ctx, source, msg.Data())
	if err != nil {
		delay := backoff.Delay(int(deliveries), c.cfg.RetryBaseDelay, c.cfg.MaxRetryDelay)
		span.RecordError(err)
		span.SetStatus(codes.Error, "command not accepted")
		c.logger.WarnContext(ctx, "mail command not accepted; it will be redelivered", "error", err,
			"source", source, "deliveries", deliveries, "retry_in", delay.String())
		if nakErr := msg.NakWithDelay(delay); nakErr != nil {
			// JetStream redelivers after AckWait anyway.
			c.logger.WarnContext(ctx, "nak failed", "error", nakErr, "source", source)
		}
		c.metrics.handled(ctx, outcomeFailed, time.Since(begin))
		return
	}
	outcome := outcomeAccepted
	switch {
	case res.DeliveryID == "":
		outcome = outcomeMalformed
	case res.Duplicate:
		outcome = outcomeDuplicate
	}
	span.SetAttributes(attribute.String("mail.delivery_id", res.DeliveryID), attribute.String("galaxy.outcome", outcome))
	// DoubleAck waits for the server to confirm: a lost ack would only mean
	// a redelivery, which the idempotency key absorbs, but it is worth a log.
	if err := msg.DoubleAck(ctx); err != nil {
		c.logger.WarnContext(ctx, "ack not confirmed; the command may be delivered again", "error", err, "source", source)
	}
	c.metrics.handled(ctx, outcome, time.Since(begin))
}

// sleep waits d or until Stop.
func (c *CommandIntake) sleep(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-c.soft.Done():
	case <-t.C:
	}
}

// nextFailDelay doubles the pause after consecutive failures of the loop.
func nextFailDelay(prev, base, ceiling time.Duration) time.Duration {
	if prev <= 0 {
		return base
	}
	return min(prev*2, ceiling)
}
