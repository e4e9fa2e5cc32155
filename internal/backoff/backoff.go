// Package backoff computes retry delays: exponential growth, a ceiling, and
// jitter, shared by every module that retries (mail, notifications, the
// runtime, the outbox relay, the command intake).
package backoff

import (
	"math/rand/v2"
	"time"
)

// Delay is the wait before the next attempt after `attempt` failures
// (attempt ≥ 1): base·2^(attempt−1), capped at ceiling, with "equal jitter"
// — a random point in the upper half — so that work that failed together
// (one outage) does not come due together again, and the ceiling is never
// exceeded.
func Delay(attempt int, base, ceiling time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1) // #nosec G404 -- jitter, not a secret
}
