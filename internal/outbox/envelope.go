package outbox

import (
	"encoding/json"
	"time"
)

// Envelope is the JSON body of every message the relay publishes. Consumers
// decode it, deduplicate on ID and decode Data according to Type.
type Envelope struct {
	// ID is the event id, also sent as the Nats-Msg-Id header.
	ID string `json:"id"`
	// Type is the versioned event type, e.g. "game.started.v1".
	Type          string `json:"type"`
	AggregateType string `json:"aggregate_type"`
	AggregateID   string `json:"aggregate_id"`
	// OccurredAt is when the event was recorded (the outbox row's creation,
	// i.e. the start of the business transaction), in UTC.
	OccurredAt time.Time `json:"occurred_at"`
	// Data is the event's payload; its schema depends on Type.
	Data json.RawMessage `json:"data"`
}

// Message headers the relay sets besides the W3C trace context
// (traceparent, tracestate).
const (
	// HeaderMsgID is JetStream's deduplication header; the relay sets it to
	// the event id.
	HeaderMsgID = "Nats-Msg-Id"
	// HeaderEventType repeats the envelope's type, so consumers can route
	// without decoding the body.
	HeaderEventType = "Galaxy-Event-Type"
	// HeaderContentType says the body is JSON.
	HeaderContentType = "Content-Type"
)
