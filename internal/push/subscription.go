package push

// Subscription is one subscriber's view of the stream: the records to send
// first (a replay, or a single resync marker), then live records as they are
// published. A single goroutine consumes it.
type Subscription struct {
	svc     *Service
	id      uint64
	epoch   string
	backlog []Record
	resync  bool
	queue   chan Record
	dropped chan struct{}

	// Guarded by svc.mu.
	active bool
	err    error
}

// ID identifies the subscription in logs.
func (s *Subscription) ID() uint64 { return s.id }

// Epoch is the epoch every delivered record belongs to.
func (s *Subscription) Epoch() string { return s.epoch }

// Resync reports whether the subscription could not be resumed, so Backlog is
// a single resync marker rather than a replay.
func (s *Subscription) Resync() bool { return s.resync }

// Backlog returns the records to deliver before any from Live: the buffered
// records after the subscriber's cursor, or one resync marker.
func (s *Subscription) Backlog() []Record { return s.backlog }

// Live returns the channel of records published after Subscribe. It is closed
// when the subscription ends; Err then says why. Records still queued when it
// closes were published before the end and should be delivered (that is how
// a shutdown flushes), unless Dropped is closed.
func (s *Subscription) Live() <-chan Record { return s.queue }

// Dropped is closed when the subscriber fell behind (ErrTooSlow): the
// consumer should stop sending at once rather than flush.
func (s *Subscription) Dropped() <-chan struct{} { return s.dropped }

// Err returns why the subscription ended (ErrTooSlow, ErrShuttingDown,
// ErrClosed), or nil while it is live.
func (s *Subscription) Err() error {
	s.svc.mu.Lock()
	defer s.svc.mu.Unlock()
	return s.err
}

// Close ends the subscription (reason ErrClosed unless it already ended). It
// is idempotent.
func (s *Subscription) Close() { s.svc.end(s, ErrClosed) }
