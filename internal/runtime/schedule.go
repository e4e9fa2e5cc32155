package runtime

import (
	"time"

	"github.com/robfig/cron/v3"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// maxMissedTicks bounds missedTicks' count (a minute schedule missed for a
// day is 1,440).
const maxMissedTicks = 10_000

// missedTicks counts the ticks of schedule after prev (the tick a turn was
// for) up to now: each is a turn the game lost because its turn ran that
// late, since the next turn is scheduled from now on rather than piling up.
func missedTicks(schedule string, prev *time.Time, now time.Time) int {
	if prev == nil {
		return 0
	}
	sched, err := cron.ParseStandard(schedule)
	if err != nil {
		return 0
	}
	n := 0
	for t := sched.Next(*prev); !t.IsZero() && !t.After(now) && n < maxMissedTicks; t = sched.Next(t) {
		n++
	}
	return n
}

// nextTurnAt is when a game's next turn really runs, the one answer behind
// every next_turn_at (the game object, notifications, mails, push): the
// schedule's next tick after now, or, when a forced or early turn has just
// taken that tick's place (skip), the tick after it.
func nextTurnAt(schedule string, now time.Time, skip bool) (time.Time, error) {
	next, err := nextTick(schedule, now)
	if err != nil || !skip {
		return next, err
	}
	return nextTick(schedule, next)
}

// nextTick returns the first tick of a game's turn_schedule (standard
// five-field cron, UTC unless the spec says CRON_TZ=) after t.
func nextTick(schedule string, t time.Time) (time.Time, error) {
	sched, err := cron.ParseStandard(schedule)
	if err != nil {
		return time.Time{}, errs.Wrap(err, errs.InvalidArgument, "turn schedule %q is invalid", schedule).
			WithDetail("field", "turn_schedule")
	}
	next := sched.Next(t.UTC())
	if next.IsZero() {
		return time.Time{}, errs.E(errs.InvalidArgument, "turn schedule %q never fires", schedule).
			WithDetail("field", "turn_schedule")
	}
	return next, nil
}
