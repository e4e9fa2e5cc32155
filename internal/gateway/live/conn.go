package live

// Conn is one browser stream registered with a Hub: it receives the
// messages addressed to its user until it ends. A single goroutine (the
// Handler's, for that stream) consumes it.
//
// A Conn is deliberately small (no goroutine, one queue of pointers): the
// gateway holds one per open browser tab.
type Conn struct {
	hub       *Hub
	userID    string
	sessionID string
	queue     chan *Message
	done      chan struct{}

	// Guarded by hub.mu.
	err error // why it ended; nil while live
}

// Events returns the queue of messages for this stream. After Done is
// closed nothing more is added, so what is still queued can be drained
// without blocking.
func (c *Conn) Events() <-chan *Message { return c.queue }

// Done is closed when the stream ends; Err then says why.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err returns why the stream ended (ErrTooSlow, ErrRevoked, ErrHubClosed,
// ErrClosed), or nil while it is live. Messages still queued at the end
// were published before it and should be delivered unless Err is
// ErrTooSlow.
func (c *Conn) Err() error {
	c.hub.mu.Lock()
	defer c.hub.mu.Unlock()
	return c.err
}

// UserID is the user the stream belongs to.
func (c *Conn) UserID() string { return c.userID }

// SessionID is the session the stream was opened with.
func (c *Conn) SessionID() string { return c.sessionID }

// Close ends the stream (ErrClosed unless it already ended) and forgets
// it. It is idempotent.
func (c *Conn) Close() {
	h := c.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.endLocked(c, ErrClosed) {
		h.forgetLocked(c)
	}
}
