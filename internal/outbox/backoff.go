package outbox

import (
	"math/rand/v2"
	"time"
)

// retryDelay is the wait before attempt+1 of a row whose attempt-th publish
// failed: base·2^(attempt-1) capped at ceiling, then "equal jitter" (a random
// point in the upper half) so that rows failing together — every row of a
// batch cut by one outage — do not all come due at the same instant again.
func retryDelay(attempt int, base, ceiling time.Duration) time.Duration {
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
