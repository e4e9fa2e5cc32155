// Package outbox is the transactional outbox of the backend and its relay to
// NATS JetStream (seed 004).
//
// Domain services record events with Publisher.PublishTx inside the
// transaction that makes the change, so the event exists if and only if the
// change committed: there is no dual write to lose. The Relay, a lifecycle
// component, publishes pending rows of outbox_events to JetStream subject
// "galaxy.events.<type>" with Nats-Msg-Id set to the event id, marks them
// published only after the JetStream ack, retries failures with exponential
// backoff and jitter, and deletes published rows after a retention period.
//
// Delivery is at least once. A row can be published again after its ack was
// lost (a crash, a failed mark, an ack timeout); JetStream drops such a
// repeat when it arrives within the stream's duplicate window, and consumers
// deduplicate on the event id for anything older. Events are not ordered:
// workers and replicas publish concurrently and failed rows are retried later.
//
// Without a NATS URL events are still recorded and kept (pending) in
// outbox_events; nothing relays them until a relay with a URL runs.
//
// See docs/events.md for subjects, the envelope and every event's schema.
package outbox
