package live

import (
	"slices"
	"sync"
	"sync/atomic"
)

// DefaultQueue is how many messages may wait for one browser stream before
// it is dropped as too slow. A browser that keeps up drains its queue at
// every event, so the queue only has to absorb bursts (a turn's worth of
// events for one user), not sustained lag.
const DefaultQueue = 32

// Hub fans events out to browser streams by user id. It is safe for
// concurrent use. Publish never blocks: it only ever does non-blocking
// sends, under one mutex held for a bounded, short time.
type Hub struct {
	queueSize int

	// mu guards the registry and makes "queue a message" and "end a
	// stream" mutually exclusive, so nothing is queued to a stream after
	// its Done is closed and the handler can drain without blocking.
	mu     sync.Mutex
	users  map[string][]*Conn // a user has few tabs: a slice beats a set
	open   int
	closed bool

	published   atomic.Uint64
	queued      atomic.Uint64
	delivered   atomic.Uint64
	droppedSlow atomic.Uint64
	revoked     atomic.Uint64
	resyncs     atomic.Uint64
}

// HubOption configures a Hub.
type HubOption func(*Hub)

// WithQueue sets how many messages may wait for one stream (default
// DefaultQueue); n < 1 keeps the default.
func WithQueue(n int) HubOption {
	return func(h *Hub) {
		if n >= 1 {
			h.queueSize = n
		}
	}
}

// NewHub returns an empty Hub.
func NewHub(opts ...HubOption) *Hub {
	h := &Hub{queueSize: DefaultQueue, users: map[string][]*Conn{}}
	for _, o := range opts {
		o(h)
	}
	return h
}

// Register opens a stream for a browser of userID signed in with
// sessionID. The caller consumes it and must Close it. On a closed Hub the
// stream has already ended with ErrHubClosed.
func (h *Hub) Register(userID, sessionID string) *Conn {
	c := &Conn{
		hub:       h,
		userID:    userID,
		sessionID: sessionID,
		queue:     make(chan *Message, h.queueSize),
		done:      make(chan struct{}),
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		c.err = ErrHubClosed
		close(c.done)
		return c
	}
	h.users[userID] = append(h.users[userID], c)
	h.open++
	return c
}

// Publish queues ev for the streams of its recipients (or, for a resync,
// for every stream). A stream whose queue is full is ended with ErrTooSlow
// instead of waited for. It returns an error, and delivers nothing, only
// when ev cannot be rendered (an empty or multi-line kind, a payload that
// is not JSON).
func (h *Hub) Publish(ev Event) error {
	if ev.Resync {
		h.published.Add(1)
		h.resyncs.Add(1)
		h.broadcast(resyncMessage)
		return nil
	}
	m, err := newMessage(ev.Kind, ev.Payload)
	if err != nil {
		return err
	}
	h.published.Add(1)
	users := uniqueUsers(ev.UserIDs)

	h.mu.Lock()
	defer h.mu.Unlock()
	var ended []*Conn
	for _, u := range users {
		ended = h.queueLocked(h.users[u], m, ended)
	}
	if ev.Kind == KindSessionRevoked {
		// After queueing, in the same critical section: the revocation
		// itself is the last message those streams deliver.
		ended = h.revokeLocked(users, parseRevocation(m.Data), ended)
	}
	h.forgetAllLocked(ended)
	return nil
}

// broadcast queues m for every stream.
func (h *Hub) broadcast(m *Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ended []*Conn
	for _, conns := range h.users {
		ended = h.queueLocked(conns, m, ended)
	}
	h.forgetAllLocked(ended)
}

// queueLocked queues m for each of conns without waiting, ending (and
// appending to ended) those whose queue is full. They are forgotten by the
// caller once it is done iterating the registry.
func (h *Hub) queueLocked(conns []*Conn, m *Message, ended []*Conn) []*Conn {
	for _, c := range conns {
		select {
		case c.queue <- m:
			h.queued.Add(1)
		default:
			h.endLocked(c, ErrTooSlow)
			h.droppedSlow.Add(1)
			ended = append(ended, c)
		}
	}
	return ended
}

// revokeLocked ends the streams of users (and of the user the payload
// names, if another) whose session r covers.
func (h *Hub) revokeLocked(users []string, r revocation, ended []*Conn) []*Conn {
	if r.userID != "" && !slices.Contains(users, r.userID) {
		users = append(users[:len(users):len(users)], r.userID)
	}
	for _, u := range users {
		for _, c := range h.users[u] {
			if r.covers(c.sessionID) && h.endLocked(c, ErrRevoked) {
				h.revoked.Add(1)
				ended = append(ended, c)
			}
		}
	}
	return ended
}

// CloseUser ends every stream of userID with ErrRevoked and returns how
// many it ended. Queued messages are still delivered.
func (h *Hub) CloseUser(userID string) int {
	return h.revoke(userID, revocation{})
}

// CloseSession ends the streams of userID opened with sessionID, like
// CloseUser.
func (h *Hub) CloseSession(userID, sessionID string) int {
	return h.revoke(userID, revocation{sessions: []string{sessionID}})
}

func (h *Hub) revoke(userID string, r revocation) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	ended := h.revokeLocked([]string{userID}, r, nil)
	h.forgetAllLocked(ended)
	return len(ended)
}

// Close ends every stream with ErrHubClosed and makes later Registers
// return ended streams. Queued messages are still delivered, so a handler
// returns as soon as it has written them. Call it when the HTTP server
// starts shutting down (http.Server.RegisterOnShutdown): streams never go
// idle, so Shutdown would otherwise wait for them until its deadline.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for u, conns := range h.users {
		for _, c := range conns {
			h.endLocked(c, ErrHubClosed)
		}
		delete(h.users, u)
	}
	h.open = 0
}

// endLocked ends c with reason and reports whether it was live. Only the
// first reason counts.
func (h *Hub) endLocked(c *Conn, reason error) bool {
	if c.err != nil {
		return false
	}
	c.err = reason
	close(c.done)
	return true
}

// forgetAllLocked removes ended streams from the registry.
func (h *Hub) forgetAllLocked(conns []*Conn) {
	for _, c := range conns {
		h.forgetLocked(c)
	}
}

// forgetLocked removes c from the registry if it is there.
func (h *Hub) forgetLocked(c *Conn) {
	conns := h.users[c.userID]
	for i, x := range conns {
		if x != c {
			continue
		}
		last := len(conns) - 1
		conns[i] = conns[last]
		conns[last] = nil // let the collector have it
		if last == 0 {
			delete(h.users, c.userID)
		} else {
			h.users[c.userID] = conns[:last]
		}
		h.open--
		return
	}
}

// uniqueUsers returns ids without duplicates, so that a user listed twice
// gets an event once. It does not allocate in the common case of no
// duplicates among a few ids.
func uniqueUsers(ids []string) []string {
	if len(ids) <= 16 {
		for i := 1; i < len(ids); i++ {
			if slices.Contains(ids[:i], ids[i]) {
				return dedup(ids)
			}
		}
		return ids
	}
	return dedup(ids)
}

func dedup(ids []string) []string {
	seen := make(map[string]struct{}, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, ok := seen[id]; !ok {
			seen[id] = struct{}{}
			out = append(out, id)
		}
	}
	return out
}
