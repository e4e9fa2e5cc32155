package form

import (
	"strings"

	"github.com/robfig/cron/v3"
)

// Preset is a turn schedule offered on the new-game form.
type Preset struct {
	// Cron is the 5-field expression, in UTC.
	Cron string
	// Label says it in words.
	Label string
}

// SchedulePresets are common turn schedules; the form offers them and still
// takes any 5-field expression.
var SchedulePresets = []Preset{
	{"0 18 * * *", "Daily at 18:00 UTC"},
	{"0 6,18 * * *", "Twice a day, 06:00 and 18:00 UTC"},
	{"0 18 * * 1,3,5", "Monday, Wednesday and Friday at 18:00 UTC"},
	{"0 18 * * 1", "Weekly, Monday at 18:00 UTC"},
	{"0 * * * *", "Every hour (a fast game)"},
	{"*/10 * * * *", "Every 10 minutes (a test game)"},
}

// ValidateSchedule checks a turn schedule as the lobby does (a standard
// 5-field cron expression in UTC; no "@daily" shorthands) and returns it with
// its fields separated by single spaces, or a message.
func ValidateSchedule(s string) (string, string) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return "", "Choose a turn schedule."
	}
	const help = ` Five fields: minute hour day-of-month month day-of-week, in UTC, e.g. "0 18 * * *" for daily at 18:00.`
	if strings.HasPrefix(fields[0], "@") || len(fields) != 5 {
		return "", "Not a 5-field cron expression." + help
	}
	norm := strings.Join(fields, " ")
	if _, err := cron.ParseStandard(norm); err != nil {
		return "", "Not a valid cron expression (" + err.Error() + ")." + help
	}
	return norm, ""
}
