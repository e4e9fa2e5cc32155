// Package ratelimit keeps one token bucket per key (an account name, a
// client address) for endpoints that must not be hammered, such as the
// admin sign-in. A taken token can be given back, so that only what should
// count (a failed attempt, say) does. Limits are per process: with N
// replicas a client gets up to N times the budget, which still stops
// guessing.
package ratelimit

import (
	"math"
	"sync"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// Limiter allows each key a burst of Burst, then one more every Every.
type Limiter struct {
	every time.Duration
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
	// refusing is set by a refusal and cleared by the next allowed take:
	// the first refusal of a run starts a lock-out.
	refusing bool
}

// New returns a limiter of burst tokens per key, refilled one every every.
// A non-positive burst or interval allows everything.
func New(every time.Duration, burst int) *Limiter {
	return &Limiter{every: every, burst: float64(burst), now: time.Now, buckets: map[string]*bucket{}}
}

// Decision is Take's answer.
type Decision struct {
	// Allowed says a token was taken.
	Allowed bool
	// RetryAfter is, when refused, the wait before a token is free again.
	RetryAfter time.Duration
	// FirstRefusal marks the first refusal since the key was last allowed
	// (the start of a lock-out): callers that record refusals record it,
	// and only it, so that hammering a locked key costs no writes.
	FirstRefusal bool

	l   *Limiter
	key string
}

// Take takes one token for key, or refuses when none is left.
func (l *Limiter) Take(key string) Decision {
	if l == nil || l.every <= 0 || l.burst <= 0 {
		return Decision{Allowed: true}
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b := l.refill(key, now)
	if b.tokens >= 1 {
		b.tokens--
		b.refusing = false
		return Decision{Allowed: true, l: l, key: key}
	}
	first := !b.refusing
	b.refusing = true
	wait := time.Duration((1 - b.tokens) * float64(l.every))
	return Decision{RetryAfter: wait, FirstRefusal: first}
}

// Return gives an allowed decision's token back (the attempt should not
// count); it does nothing on a refusal or when called twice.
func (d *Decision) Return() {
	if !d.Allowed || d.l == nil {
		return
	}
	l := d.l
	d.l = nil
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(d.key, now)
	b.tokens = math.Min(l.burst, b.tokens+1)
}

// Err is the rate_limited error of a refusal: "too many <what>; try again
// in N s", with the Retry-After detail the HTTP edge turns into the header.
func (d Decision) Err(what string) error {
	secs := max(1, int(math.Ceil(d.RetryAfter.Seconds())))
	return errs.E(errs.RateLimited, "too many %s; try again in %d s", what, secs).
		WithDetail(httpx.RetryAfterDetail, secs)
}

// refill returns key's bucket brought up to now (a new key's is full).
func (l *Limiter) refill(key string, now time.Time) *bucket {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
		return b
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = math.Min(l.burst, b.tokens+float64(elapsed)/float64(l.every))
		b.at = now
	}
	return b
}

// sweep forgets, once a minute, the buckets full again: keeping them would
// change nothing, so memory follows recent traffic only.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	full := time.Duration(l.burst * float64(l.every))
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
	l.swept = now
}
