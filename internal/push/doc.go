// Package push is the backend's resumable push stream: domain services
// Publish events addressed to users, and gateways subscribe over gRPC
// (galaxy.push.v1.Push/SubscribePush, api/push/v1/push.proto) to forward them.
//
// # Positions: epoch and cursor
//
// A Service picks a random epoch when it is built (once per process) and
// numbers published events 1, 2, 3, ... with no gaps: the cursor. An event's
// position is the pair (epoch, cursor); cursors of different epochs are
// unrelated, so after a restart (a new epoch) every old position is unknown.
// The last BufferSize events are kept in a ring buffer; older ones are
// evicted. Let oldest and newest be the cursors of the oldest and newest
// buffered events (newest is 0 before the first event; when nothing is
// buffered, oldest is newest+1).
//
// # Subscribing
//
// A subscriber sends the (epoch, cursor) of the last event it has seen.
//
//   - Resume: the epoch is the current one and oldest-1 <= cursor <= newest.
//     It receives every buffered event with a cursor greater than cursor, in
//     order, then live events, with no gap and no duplicate: copying the
//     replay and registering for live events happen under the same lock as
//     publishing. cursor == newest replays nothing. Cursor 0 means "from the
//     first event of the epoch", which only works while nothing has been
//     evicted (oldest == 1).
//   - Resync: anything else, i.e. an empty or unknown epoch, a cursor older
//     than oldest-1 (events were evicted, so some are lost), or a cursor
//     greater than newest (not a position this process issued). It receives
//     exactly one event with resync = true, carrying the current epoch and
//     cursor = newest and nothing else, then live events (cursor > newest).
//     The subscriber must reload its state over HTTP; resubscribing with the
//     resync event's (epoch, cursor) resumes from there.
//
// A first subscription sends an empty epoch and so starts with a resync.
//
// # Slow subscribers
//
// Publish never waits for a subscriber. Each subscription has a bounded queue
// (SubscriberQueue) of live events; when a publish finds it full, the
// subscription is ended at once with RESOURCE_EXHAUSTED ("subscriber too
// slow: resubscribe with your last epoch and cursor"). Resubscribing with the
// last delivered position replays what was missed if the buffer still holds
// it, and otherwise resyncs.
//
// # Shutdown
//
// Server.Stop refuses new subscriptions, sends every event published before
// it began to every connected subscriber, ends each stream with UNAVAILABLE
// (resubscribe), then stops the gRPC server gracefully; at the deadline it
// cuts the remaining connections. The Service itself stays usable, so domain
// services stopped later may still Publish.
//
// # Authentication
//
// Every call needs the metadata "authorization: Bearer <Config.Token>",
// compared in constant time; otherwise UNAUTHENTICATED. Tokens are never
// logged.
package push
