package ratelimit

import (
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
)

func TestLimiter(t *testing.T) {
	t.Parallel()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := New(time.Minute, 3)
	l.now = func() time.Time { return clock }

	t.Run("a burst, then a refusal that says when to come back, once first", func(t *testing.T) {
		for i := range 3 {
			if d := l.Take("root"); !d.Allowed {
				t.Fatalf("take %d refused", i+1)
			}
		}
		d := l.Take("root")
		if d.Allowed || !d.FirstRefusal || d.RetryAfter != time.Minute {
			t.Fatalf("%+v", d)
		}
		if again := l.Take("root"); again.Allowed || again.FirstRefusal {
			t.Fatalf("second refusal: %+v", again)
		}
		e := errs.As(d.Err("sign-in attempts"))
		if e.Code != errs.RateLimited || e.Details[httpx.RetryAfterDetail] != 60 {
			t.Fatalf("%+v", e)
		}
	})
	t.Run("keys are apart", func(t *testing.T) {
		if d := l.Take("other"); !d.Allowed {
			t.Fatal("another key was refused")
		}
	})
	t.Run("a token comes back every interval", func(t *testing.T) {
		clock = clock.Add(time.Minute)
		if d := l.Take("root"); !d.Allowed {
			t.Fatalf("after an interval: %+v", d)
		}
		if d := l.Take("root"); d.Allowed || !d.FirstRefusal {
			t.Fatalf("a new lock-out starts: %+v", d)
		}
	})
	t.Run("a returned token does not count, once", func(t *testing.T) {
		clock = clock.Add(time.Minute)
		d := l.Take("root")
		if !d.Allowed {
			t.Fatal("refused")
		}
		d.Return()
		d.Return()
		if d := l.Take("root"); !d.Allowed {
			t.Fatal("the returned token is not there")
		}
		if d := l.Take("root"); d.Allowed {
			t.Fatal("a token was returned twice")
		}
	})
	t.Run("full buckets are forgotten", func(t *testing.T) {
		clock = clock.Add(time.Hour)
		l.Take("late")
		l.mu.Lock()
		defer l.mu.Unlock()
		if len(l.buckets) != 1 {
			t.Fatalf("%d buckets kept", len(l.buckets))
		}
	})
	t.Run("no limit when unset", func(t *testing.T) {
		for range 100 {
			if d := New(0, 0).Take("x"); !d.Allowed {
				t.Fatal("refused")
			}
		}
	})
}
