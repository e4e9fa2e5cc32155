package push

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.opentelemetry.io/otel/metric"
)

// Service is the push stream's core: the ring buffer, the cursor, the epoch
// and the live subscriptions. It has no listener; the composition root builds
// it before the domain services (so they get a real publisher) and serves it
// with a Server. It is safe for concurrent use.
type Service struct {
	epoch     string
	queueSize int
	now       func() time.Time
	metrics   *metrics

	// mu makes "append to the ring and fan out" one step, and "copy the
	// replay and register for live events" another, so a subscriber sees
	// every record exactly once whatever the interleaving.
	mu     sync.Mutex
	ring   *ring
	subs   map[*Subscription]struct{}
	nextID uint64
}

// NewService returns a Service with a fresh random epoch, sized by
// cfg.BufferSize and cfg.SubscriberQueue (zero: the defaults). meter records
// the stream's metrics; nil records nothing.
func NewService(cfg Config, meter metric.Meter) (*Service, error) {
	cfg = cfg.withDefaults()
	if cfg.BufferSize < 1 || cfg.SubscriberQueue < 1 {
		return nil, fmt.Errorf("push: buffer size (%d) and subscriber queue (%d) must be positive",
			cfg.BufferSize, cfg.SubscriberQueue)
	}
	s := &Service{
		// A random epoch, not a timestamp or a counter, so that two
		// processes (replicas, or one restarted) never share one and a
		// cursor from one is never mistaken for a position in another.
		epoch:     rand.Text(),
		queueSize: cfg.SubscriberQueue,
		now:       func() time.Time { return time.Now().UTC() },
		ring:      newRing(cfg.BufferSize),
		subs:      map[*Subscription]struct{}{},
	}
	m, err := newMetrics(meter, s)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	return s, nil
}

// Epoch returns the identity of this process's stream. Cursors are only
// meaningful together with it.
func (s *Service) Epoch() string { return s.epoch }

// Publish appends e to the stream and hands it to every live subscriber, and
// returns its cursor. It never waits for a subscriber: one whose queue is full
// is disconnected with ErrTooSlow instead. e's slices are copied, so the
// caller may reuse them.
func (s *Service) Publish(e Event) uint64 {
	// Copy outside the lock: the record is shared, read-only, by the ring and
	// every subscriber from now on.
	rec := Record{Event: Event{
		UserIDs: slices.Clone(e.UserIDs),
		Kind:    e.Kind,
		Payload: bytes.Clone(e.Payload),
	}}
	var slow int64
	s.mu.Lock()
	rec.CreatedAt = s.now()
	rec = s.ring.add(rec)
	for sub := range s.subs {
		select {
		case sub.queue <- rec:
		default:
			s.endLocked(sub, ErrTooSlow)
			slow++
		}
	}
	s.mu.Unlock()
	s.metrics.published(slow)
	return rec.Cursor
}

// Subscribe starts a subscription for a subscriber whose last seen event is
// (epoch, cursor); see the package documentation for the exact rules. The
// caller delivers Backlog, then Live, and must Close the subscription when
// done with it.
func (s *Service) Subscribe(epoch string, cursor uint64) *Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	sub := &Subscription{
		svc:     s,
		id:      s.nextID,
		epoch:   s.epoch,
		queue:   make(chan Record, s.queueSize),
		dropped: make(chan struct{}),
		active:  true,
	}
	// covers(0) is false once anything was evicted, which is exactly the
	// rule for cursor 0: "from the start" only while the start is held.
	if epoch == s.epoch && s.ring.covers(cursor) {
		sub.backlog = s.ring.after(cursor)
	} else {
		sub.resync = true
		sub.backlog = []Record{{Cursor: s.ring.newest, CreatedAt: s.now(), Resync: true}}
	}
	s.subs[sub] = struct{}{}
	return sub
}

// end stops delivering live records to sub, recording reason as its end.
func (s *Service) end(sub *Subscription, reason error) {
	s.mu.Lock()
	s.endLocked(sub, reason)
	s.mu.Unlock()
}

// endLocked is end with s.mu held. Only the first reason counts.
func (s *Service) endLocked(sub *Subscription, reason error) {
	if !sub.active {
		return
	}
	sub.active = false
	sub.err = reason
	delete(s.subs, sub)
	if errors.Is(reason, ErrTooSlow) {
		close(sub.dropped)
	}
	// Safe: records are only sent to registered subscriptions, under mu.
	close(sub.queue)
}

// stats returns the number of subscriptions and of buffered records.
func (s *Service) stats() (subscribers, buffered, capacity int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.subs), s.ring.len(), s.ring.capacity()
}
