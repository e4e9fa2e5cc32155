// Package events takes commands for the backend from NATS JetStream. Today
// that is one command: "send this mail", on subject galaxy.commands.mail.send,
// handed to the mail module exactly as its internal HTTP intake would be
// (seed 001's command consumer, with JetStream in place of a Redis stream).
//
// A command is acknowledged only once the mail module has made it durable —
// a delivery, or a malformed-command record — so a crash or a database outage
// never loses one: JetStream redelivers it, and the command's idempotency key
// makes the repeat harmless. Events going out of the backend are the outbox's
// business (package outbox); see docs/events.md for both directions.
package events
