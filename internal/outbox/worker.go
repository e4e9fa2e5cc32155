package outbox

import (
	"time"
)

// work is one claim-publish-mark loop. It sleeps until poked (a commit's
// NOTIFY, a reconnect, a sibling that found a full batch) or until the poll
// interval passes, which catches retries coming due and lost notifications.
func (r *Relay) work() {
	defer r.wg.Done()
	var failDelay time.Duration
	for r.soft.Err() == nil {
		if !r.connected() {
			// The reconnect handler pokes; the interval is a fallback.
			r.sleep(true, r.cfg.PollInterval)
			continue
		}
		if err := r.ensureStream(r.hard); err != nil {
			failDelay = nextFailDelay(failDelay, r.cfg.ReconnectWait, r.loopBackoffCeiling())
			r.logger.Warn("outbox relay cannot use its JetStream stream; retrying", "error", err, "retry_in", failDelay.String())
			r.sleep(false, failDelay)
			continue
		}
		n, err := r.runBatch(r.hard)
		if err != nil {
			if r.hard.Err() != nil {
				return
			}
			// Usually the database: back off without waking on notifies,
			// which would only fail again.
			failDelay = nextFailDelay(failDelay, r.cfg.PollInterval, r.loopBackoffCeiling())
			r.logger.Warn("outbox batch failed; its rows stay pending", "error", err, "retry_in", failDelay.String())
			r.sleep(false, failDelay)
			continue
		}
		failDelay = 0
		if n == r.cfg.BatchSize {
			continue // likely more due rows
		}
		r.sleep(true, r.cfg.PollInterval)
	}
}

// sleep waits d, until Stop, or (wakeable) until poked.
func (r *Relay) sleep(wakeable bool, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	wake := r.wake
	if !wakeable {
		wake = nil
	}
	select {
	case <-r.soft.Done():
	case <-t.C:
	case <-wake:
	}
}

// maxLoopBackoff caps the pause after repeated loop failures (database or
// stream trouble): long enough not to hammer a sick database, short enough
// that a recovery is noticed quickly, since these pauses are not woken by
// notifications.
const maxLoopBackoff = 30 * time.Second

func (r *Relay) loopBackoffCeiling() time.Duration {
	return max(r.cfg.PollInterval, min(r.cfg.MaxRetryDelay, maxLoopBackoff))
}

// nextFailDelay doubles the pause after consecutive loop failures, from base
// up to ceiling.
func nextFailDelay(prev, base, ceiling time.Duration) time.Duration {
	if prev <= 0 {
		return base
	}
	return min(prev*2, ceiling)
}
