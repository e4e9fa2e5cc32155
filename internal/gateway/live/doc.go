// Package live delivers the backend's push events to browsers: a Subscriber
// per backend replica reads that replica's gRPC push stream
// (galaxy.push.v1.Push/SubscribePush) and publishes every event to a Hub,
// which fans it out by user id to the browser streams registered with it;
// the Handler serves those streams as Server-Sent Events on GET /events.
//
//	backend replica ──gRPC──▶ Subscriber ─┐
//	backend replica ──gRPC──▶ Subscriber ─┼─▶ Hub ──▶ Conn ──▶ Handler ──SSE──▶ browser
//	                                      ┘       └─▶ Conn ──▶ Handler ──SSE──▶ browser
//
// # Losing nothing, and saying so when something is lost
//
// A Subscriber remembers the epoch and cursor of the last event it received
// and resumes from there after any disconnect, so a backend that restarts
// its push listener (but not its process) loses nothing and sends nothing
// twice. When the backend cannot resume (a new process, so a new epoch, or
// a gap longer than its ring buffer), it sends a resync event; the Hub then
// sends every browser an event of kind "resync" (data {}), which tells the
// page to reload its state over HTTP.
//
// # Slow browsers
//
// Hub.Publish never waits. Each browser stream has a small bounded queue;
// a stream whose queue is full is ended at once (ErrTooSlow) and the
// browser's EventSource reconnects by itself after the retry delay. One
// stuck browser therefore costs the others nothing, and the gateway's
// memory per browser is bounded by the queue, not by the browser's speed.
// A page should reload its state when its EventSource reconnects, since a
// dropped stream may have missed events.
//
// # Revoked sessions
//
// An "auth.session.revoked" event is delivered to the user's streams and
// then ends the streams of the sessions it names (payload "session_ids" or
// "session_id"; all of the user's streams when it names none). The
// browser's reconnection then gets 401, which stops EventSource for good.
//
// # Memory
//
// A browser stream costs one goroutine and a small queue of pointers.
// Every event is rendered to its SSE bytes once per Publish and shared,
// read-only, by all of its recipients. Over HTTP/1.x the Handler hijacks
// the connection and lets net/http's connection goroutine return, which
// frees net/http's buffers and deep stack: about 5 KiB per idle stream
// instead of 27 KiB (BenchmarkSSEConnections measures both).
package live
