package live

import "errors"

// Why a Conn ended; Conn.Err returns one of them.
var (
	// ErrTooSlow ends a stream whose queue was full when an event arrived:
	// the browser (or the network to it) did not keep up. Its queued events
	// are abandoned; the browser reconnects and reloads.
	ErrTooSlow = errors.New("live: stream too slow, dropped")
	// ErrRevoked ends a stream whose session was revoked; the revocation
	// event itself is still delivered.
	ErrRevoked = errors.New("live: session revoked")
	// ErrHubClosed ends every stream when the Hub is closed (the gateway is
	// shutting down); queued events are still delivered.
	ErrHubClosed = errors.New("live: hub closed")
	// ErrClosed is the reason of a Conn its owner closed.
	ErrClosed = errors.New("live: stream closed")
)
