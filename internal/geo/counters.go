package geo

import (
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"
)

// dayCountry is one counter: a UTC day (days since 1970-01-01) and a
// two-letter country. A fixed-size key hashes faster than a string and
// cannot grow with hostile input.
type dayCountry struct {
	day     int32
	country [2]byte
}

func (k dayCountry) Country() string { return string(k.country[:]) }

func (k dayCountry) Time() time.Time { return time.Unix(int64(k.day)*secondsPerDay, 0).UTC() }

const secondsPerDay = 24 * 60 * 60

// epochDay is t's UTC date as days since 1970-01-01. Sign-ins happen now,
// so the int32 range (±5.8 million years) is never in question.
func epochDay(t time.Time) int32 {
	secs := t.Unix()
	d := secs / secondsPerDay
	if secs%secondsPerDay < 0 {
		d-- // floor, not truncation, before 1970
	}
	return int32(d)
}

// utcDate is midnight UTC of t's UTC date.
func utcDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// countryKey normalises what callers pass (usually Lookup.Country's answer)
// to a two-letter code, so the key space stays the 676 codes (UnknownCountry
// among them) whatever a caller hands in.
func countryKey(country string) [2]byte {
	if len(country) == 2 {
		a, b := upper(country[0]), upper(country[1])
		if a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' {
			return [2]byte{a, b}
		}
	}
	return [2]byte{UnknownCountry[0], UnknownCountry[1]}
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// numCodes is the number of two-letter codes, UnknownCountry included: a
// code's index is (first-'A')*26 + (second-'A').
const numCodes = 26 * 26

func codeIndex(c [2]byte) int { return int(c[0]-'A')*26 + int(c[1]-'A') }

func indexCode(i int) [2]byte { return [2]byte{byte('A' + i/26), byte('A' + i%26)} }

// stripe is one shard of the in-memory counters. Sign-ins pick a stripe at
// random, so concurrent callers rarely meet on one mutex even when they all
// count the same country; the flusher sums the stripes.
//
// Counts for the stripe's current day sit in a fixed array indexed by
// country, not a map: a map write touches the map's shared header (Go's
// concurrent-write check), and neighbouring stripes' headers share cache
// lines, which made the stripes contend anyway. Sign-ins for another day
// (the stripe still holds yesterday's counts just after midnight) go to a
// small map until the next drain empties the array.
//
// Memory is bounded by construction: the array is fixed, and the map holds
// at most the 676 codes of each other day seen between two drains (one,
// around midnight), because the flusher empties every stripe each interval
// whether or not the database answers. The MaxPending bound applies where
// keys can pile up: the flusher's backlog.
type stripe struct {
	mu     sync.Mutex
	closed bool  // set by Stop: later sign-ins are dropped, not stranded
	day    int32 // the day counts holds
	held   int64 // sign-ins in counts (not other)
	other  map[dayCountry]int64
	counts [numCodes]int64
	// The pad keeps the busiest slots at the array's end (ZZ, the unknown
	// country) off the cache line of the next stripe's mutex.
	_ [128]byte
}

// stripes is the sign-in side of the counters.
type stripes []stripe

func newStripes() stripes {
	// Four stripes per processor, a power of two so that picking one is a
	// mask: enough that parallel sign-ins seldom collide. Each is ~5.6 KB.
	n := 1 << bits.Len(uint(4*runtime.GOMAXPROCS(0)-1))
	return make(stripes, min(max(n, 8), 64))
}

// add counts one sign-in and reports false if the counters are closed.
func (s stripes) add(k dayCountry) bool {
	// rand/v2's top-level functions use the runtime's per-thread generator:
	// a few nanoseconds and no shared state.
	st := &s[rand.Uint32()&uint32(len(s)-1)] //nolint:gosec // spreading load needs no unpredictability
	st.mu.Lock()
	if st.closed {
		st.mu.Unlock()
		return false
	}
	if st.day != k.day && st.held == 0 {
		st.day = k.day
	}
	if st.day == k.day {
		st.counts[codeIndex(k.country)]++
		st.held++
	} else {
		if st.other == nil {
			st.other = make(map[dayCountry]int64)
		}
		st.other[k]++
	}
	st.mu.Unlock()
	return true
}

// drain moves every stripe's counts into into (allocated if nil). Each
// stripe is locked once, for the copy of its non-zero slots.
func (s stripes) drain(into map[dayCountry]int64) map[dayCountry]int64 {
	if into == nil {
		into = make(map[dayCountry]int64)
	}
	for i := range s {
		st := &s[i]
		st.mu.Lock()
		if st.held > 0 {
			for c, n := range st.counts {
				if n != 0 {
					into[dayCountry{day: st.day, country: indexCode(c)}] += n
					st.counts[c] = 0
				}
			}
			st.held = 0
		}
		for k, n := range st.other {
			into[k] += n
		}
		st.other = nil
		st.mu.Unlock()
	}
	return into
}

// close makes every later add fail. Counts already taken stay for the final
// drain. Taking each stripe's lock also waits out adds in progress, so after
// close returns the stripes no longer change except by drain.
func (s stripes) close() {
	for i := range s {
		s[i].mu.Lock()
		s[i].closed = true
		s[i].mu.Unlock()
	}
}

// pending sums what the stripes hold, for Stats.
func (s stripes) pending() int64 {
	var n int64
	for i := range s {
		st := &s[i]
		st.mu.Lock()
		n += st.held
		for _, v := range st.other {
			n += v
		}
		st.mu.Unlock()
	}
	return n
}
