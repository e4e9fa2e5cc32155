package lobby

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// scheduleSample is how many upcoming turns a schedule is checked over for
// its shortest gap: enough to cover every field of a 5-field expression
// (minutes within an hour, hours within a day, days within a week).
const scheduleSample = 500

// checkSchedule tells why a turn schedule cannot be used, "" when it can: it
// must be a 5-field cron expression in UTC, fire at all (`0 0 30 2 *`
// never does), and never fire two turns closer than minInterval.
func checkSchedule(expr string, minInterval time.Duration, now time.Time) string {
	const form = `turn_schedule must be a 5-field cron expression in UTC, e.g. "0 18 * * *"`
	if strings.HasPrefix(strings.TrimSpace(expr), "@") || len(strings.Fields(expr)) != 5 {
		return form
	}
	sched, err := cron.ParseStandard(expr)
	if err != nil {
		return form
	}
	prev := sched.Next(now.UTC())
	if prev.IsZero() {
		return fmt.Sprintf("turn_schedule %q never fires: no such date in the calendar", expr)
	}
	for range scheduleSample {
		next := sched.Next(prev)
		if next.IsZero() {
			break
		}
		if gap := next.Sub(prev); gap < minInterval {
			return fmt.Sprintf("turn_schedule %q runs turns %s apart; at least %s between turns is required",
				expr, gap, minInterval)
		}
		prev = next
	}
	return ""
}
