package lobby

import (
	"strings"
	"testing"
	"time"
)

func TestCheckSchedule(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		expr    string
		min     time.Duration
		problem string // a phrase of the answer, "" for accepted
	}{
		{"0 18 * * *", time.Minute, ""},
		{"* * * * *", time.Minute, ""},
		{"*/10 * * * *", 10 * time.Minute, ""},
		{"0 0 30 2 *", time.Minute, "never fires"},
		{"0 0 31 4 *", time.Minute, "never fires"},
		{"* * * * *", 5 * time.Minute, "at least 5m0s"},
		{"0,1 18 * * *", 5 * time.Minute, "1m0s apart"},
		{"0 6,18 * * *", 12 * time.Hour, ""},
		{"@daily", time.Minute, "5-field"},
		{"0 18 * *", time.Minute, "5-field"},
		{"61 18 * * *", time.Minute, "5-field"},
	}
	for _, c := range cases {
		got := checkSchedule(c.expr, c.min, now)
		if (c.problem == "") != (got == "") || !strings.Contains(got, c.problem) {
			t.Errorf("%q with min %s: %q, want %q", c.expr, c.min, got, c.problem)
		}
	}
}
