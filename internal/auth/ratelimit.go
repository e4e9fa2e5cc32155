package auth

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

// limiter keeps one token bucket per key (an address, an IP). Buckets of
// keys not seen for a while are dropped so memory stays bounded by recent
// traffic. Limits are per process: with N replicas a client gets up to N
// times the budget, which still stops abuse.
type limiter struct {
	every time.Duration
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(every time.Duration, burst int) *limiter {
	return &limiter{every: every, burst: burst, buckets: map[string]*bucket{}}
}

// allow takes one token for key, or returns a rate_limited error that says
// when to retry.
func (l *limiter) allow(key, what string) error {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		// A bucket idle for burst×every is full again: forgetting it is free.
		for k, b := range l.buckets {
			if now.Sub(b.seen) > l.every*time.Duration(l.burst) {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		secs := int(math.Ceil(d.Seconds()))
		return errs.E(errs.RateLimited, "too many sign-in requests for this %s; try again in %d s", what, secs).
			WithDetail(httpx.RetryAfterDetail, secs)
	}
	return nil
}
