package outbox

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"

	"github.com/galaxy-platform/galaxy/internal/outbox/outboxstore"
)

// NotifyChannel is the PostgreSQL channel PublishTx notifies, so that relays
// wake as soon as an event commits instead of at their next poll. (The
// InsertEvent query names it literally.)
const NotifyChannel = "outbox_events"

// Publisher records events in the outbox. The zero value is ready to use;
// it is safe for concurrent use.
type Publisher struct{}

// NewPublisher returns a Publisher.
func NewPublisher() *Publisher { return &Publisher{} }

// PublishTx records ev inside tx, the caller's business transaction: the
// event exists if and only if tx commits, and the relay publishes it only
// after the commit. It captures the W3C trace context of ctx with the global
// OpenTelemetry propagator, so the relay's span and consumers continue the
// caller's trace, and notifies the relays (delivered at commit).
//
// Errors: an invalid event (bad type, no aggregate, a payload that is not a
// JSON object) or the database's error, which leaves tx aborted like any
// failed statement. PublishTxID also returns the (generated) event id.
func (p *Publisher) PublishTx(ctx context.Context, tx pgx.Tx, ev Event) error {
	_, err := p.PublishTxID(ctx, tx, ev)
	return err
}

// PublishTxID is PublishTx returning the event's id (generated when ev.ID is
// empty).
func (p *Publisher) PublishTxID(ctx context.Context, tx pgx.Tx, ev Event) (string, error) {
	if err := ev.validate(); err != nil {
		return "", fmt.Errorf("outbox: %w", err)
	}
	payload, err := json.Marshal(ev.Payload)
	if err != nil {
		return "", fmt.Errorf("outbox: marshal %s payload: %w", ev.Type, err)
	}
	if len(payload) == 0 || payload[0] != '{' {
		// Consumers decode data as an object per type; null or a bare
		// value is a bug in the caller.
		return "", fmt.Errorf("outbox: %s payload is not a JSON object", ev.Type)
	}
	if ev.ID == "" {
		ev.ID = NewID()
	}
	carrier := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, carrier)

	// The insert also notifies NotifyChannel (delivered at commit).
	if err := outboxstore.New(tx).InsertEvent(ctx, outboxstore.InsertEventParams{
		ID: ev.ID, Type: ev.Type, AggregateType: ev.AggregateType, AggregateID: ev.AggregateID,
		Payload: payload, TraceCarrier: carrier,
	}); err != nil {
		return "", fmt.Errorf("outbox: record %s %s: %w", ev.Type, ev.ID, err)
	}
	return ev.ID, nil
}

// Publish records one event built from p inside tx: the shorthand domain
// services use (the Publisher keeps no state).
func Publish(ctx context.Context, tx pgx.Tx, p Payload) error {
	return defaultPublisher.PublishTx(ctx, tx, NewEvent(p))
}

var defaultPublisher = NewPublisher()
