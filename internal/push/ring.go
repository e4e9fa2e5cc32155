package push

// ring is the in-memory buffer of the most recent records. It is not safe for
// concurrent use: the Service guards it with its mutex, so that appending,
// fanning out and replaying are one atomic step.
//
// Cursors are assigned here, 1, 2, 3, ... with no gaps, so the cursor of a
// record also tells where it sits: the buffer always holds exactly the
// cursors oldest()..newest.
type ring struct {
	buf    []Record // fixed length: the capacity
	head   int      // index of the oldest record
	n      int      // number of records held
	newest uint64   // cursor of the newest record; 0 before the first
}

func newRing(capacity int) *ring {
	return &ring{buf: make([]Record, capacity)}
}

// add assigns the next cursor to rec, stores it (evicting the oldest record
// when full) and returns it.
func (r *ring) add(rec Record) Record {
	r.newest++
	rec.Cursor = r.newest
	if r.n < len(r.buf) {
		r.buf[(r.head+r.n)%len(r.buf)] = rec
		r.n++
		return rec
	}
	// Full: the slot of the oldest record takes the new one.
	r.buf[r.head] = rec
	r.head = (r.head + 1) % len(r.buf)
	return rec
}

// oldest is the cursor of the oldest record held; newest+1 when empty, so
// that oldest()-1 is always "the last cursor before the buffer".
func (r *ring) oldest() uint64 { return r.newest - uint64(r.n) + 1 }

// len is the number of records held.
func (r *ring) len() int { return r.n }

// capacity is the most records the ring holds.
func (r *ring) capacity() int { return len(r.buf) }

// evicted reports whether any record has ever been dropped to make room.
func (r *ring) evicted() bool { return r.oldest() > 1 }

// covers reports whether every record after cursor is still held, i.e. a
// subscriber whose last seen cursor is cursor can resume without a gap:
// oldest()-1 <= cursor <= newest.
func (r *ring) covers(cursor uint64) bool {
	return cursor >= r.oldest()-1 && cursor <= r.newest
}

// after returns a copy of the records with a cursor greater than cursor, in
// order. The caller checks covers(cursor) first; a cursor before the buffer
// yields everything held.
func (r *ring) after(cursor uint64) []Record {
	if cursor >= r.newest {
		return nil
	}
	skip := 0
	if o := r.oldest(); cursor >= o {
		skip = int(cursor - o + 1)
	}
	out := make([]Record, 0, r.n-skip)
	for i := skip; i < r.n; i++ {
		out = append(out, r.buf[(r.head+i)%len(r.buf)])
	}
	return out
}
