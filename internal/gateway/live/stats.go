package live

// Stats are the Hub's counters since it was built.
type Stats struct {
	// Open is the number of streams registered now.
	Open int
	// Published counts events accepted by Publish, resyncs included.
	Published uint64
	// Queued counts messages queued to streams (one event to three
	// streams is three).
	Queued uint64
	// Delivered counts messages written and flushed to browsers by
	// Handlers.
	Delivered uint64
	// DroppedSlow counts streams ended because their queue was full.
	DroppedSlow uint64
	// Revoked counts streams ended because their session was revoked.
	Revoked uint64
	// Resyncs counts resync events broadcast to every stream.
	Resyncs uint64
}

// Stats returns the Hub's counters.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	open := h.open
	h.mu.Unlock()
	return Stats{
		Open:        open,
		Published:   h.published.Load(),
		Queued:      h.queued.Load(),
		Delivered:   h.delivered.Load(),
		DroppedSlow: h.droppedSlow.Load(),
		Revoked:     h.revoked.Load(),
		Resyncs:     h.resyncs.Load(),
	}
}
