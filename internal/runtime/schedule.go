package runtime

import (
	"time"

	"github.com/robfig/cron/v3"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

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
