package push

import (
	"slices"
	"testing"
)

// fill adds n records to r.
func fill(t *testing.T, r *ring, n int) {
	t.Helper()
	for range n {
		r.add(Record{Event: Event{Kind: "k"}})
	}
}

// cursorsOf lists the cursors of recs.
func cursorsOf(recs []Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Cursor
	}
	return out
}

func TestRing(t *testing.T) {
	t.Parallel()

	t.Run("empty ring covers only cursor 0 and replays nothing", func(t *testing.T) {
		t.Parallel()
		r := newRing(4)
		if !r.covers(0) {
			t.Error("cursor 0 not covered by an empty ring")
		}
		if r.covers(1) {
			t.Error("cursor 1 covered before anything was published")
		}
		if got := r.after(0); len(got) != 0 {
			t.Errorf("after(0) = %v, want nothing", cursorsOf(got))
		}
		if r.oldest() != 1 || r.newest != 0 || r.evicted() {
			t.Errorf("oldest %d newest %d evicted %v, want 1, 0, false", r.oldest(), r.newest, r.evicted())
		}
	})

	t.Run("cursors start at 1 and have no gaps", func(t *testing.T) {
		t.Parallel()
		r := newRing(4)
		for want := uint64(1); want <= 10; want++ {
			if got := r.add(Record{}).Cursor; got != want {
				t.Fatalf("add #%d got cursor %d", want, got)
			}
		}
	})

	t.Run("wraparound keeps the newest records in order", func(t *testing.T) {
		t.Parallel()
		r := newRing(4)
		fill(t, r, 10) // wraps twice and a half
		if r.len() != 4 || r.oldest() != 7 || r.newest != 10 {
			t.Fatalf("len %d oldest %d newest %d, want 4, 7, 10", r.len(), r.oldest(), r.newest)
		}
		if got := cursorsOf(r.after(6)); !slices.Equal(got, []uint64{7, 8, 9, 10}) {
			t.Errorf("after(6) = %v, want [7 8 9 10]", got)
		}
		if got := cursorsOf(r.after(8)); !slices.Equal(got, []uint64{9, 10}) {
			t.Errorf("after(8) = %v, want [9 10]", got)
		}
	})

	t.Run("cursor 0 replays everything until the first eviction", func(t *testing.T) {
		t.Parallel()
		r := newRing(4)
		fill(t, r, 4)
		if !r.covers(0) {
			t.Fatal("cursor 0 not covered with the buffer full but nothing evicted")
		}
		if got := cursorsOf(r.after(0)); !slices.Equal(got, []uint64{1, 2, 3, 4}) {
			t.Errorf("after(0) = %v, want [1 2 3 4]", got)
		}
		fill(t, r, 1)
		if r.covers(0) || !r.evicted() {
			t.Error("cursor 0 still covered after cursor 1 was evicted")
		}
	})

	t.Run("cursor just before the oldest is covered and one earlier is not", func(t *testing.T) {
		t.Parallel()
		r := newRing(4)
		fill(t, r, 6) // holds 3..6
		if !r.covers(2) {
			t.Error("cursor 2 (oldest-1) not covered")
		}
		if r.covers(1) {
			t.Error("cursor 1 covered although event 2 was evicted")
		}
	})

	t.Run("cursor equal to newest is covered and replays nothing", func(t *testing.T) {
		t.Parallel()
		r := newRing(4)
		fill(t, r, 6)
		if !r.covers(6) {
			t.Error("newest cursor not covered")
		}
		if got := r.after(6); len(got) != 0 {
			t.Errorf("after(newest) = %v, want nothing", cursorsOf(got))
		}
	})

	t.Run("cursor beyond newest is not covered", func(t *testing.T) {
		t.Parallel()
		r := newRing(4)
		fill(t, r, 6)
		if r.covers(7) || r.covers(1<<63) {
			t.Error("a cursor never issued is covered")
		}
	})

	t.Run("capacity one holds only the newest", func(t *testing.T) {
		t.Parallel()
		r := newRing(1)
		fill(t, r, 3)
		if got := cursorsOf(r.after(2)); !slices.Equal(got, []uint64{3}) {
			t.Errorf("after(2) = %v, want [3]", got)
		}
		if r.covers(1) {
			t.Error("cursor 1 covered with only 3 held")
		}
	})
}
