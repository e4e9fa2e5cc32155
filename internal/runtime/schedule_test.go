package runtime

import (
	"testing"
	"time"
)

func TestMissedTicks(t *testing.T) {
	t.Parallel()
	tick := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		schedule string
		prev     *time.Time
		now      time.Time
		want     int
	}{
		{"* * * * *", nil, tick.Add(time.Hour), 0},
		{"* * * * *", &tick, tick.Add(30 * time.Second), 0},
		{"* * * * *", &tick, tick.Add(time.Minute), 1},
		{"* * * * *", &tick, tick.Add(3*time.Minute + 10*time.Second), 3},
		{"0 18 * * *", &tick, tick.Add(5 * time.Hour), 0},
		{"0 18 * * *", &tick, tick.Add(6 * time.Hour), 1},
		{"* * * * *", &tick, tick.Add(30 * 24 * time.Hour), maxMissedTicks},
		{"not a schedule", &tick, tick.Add(time.Hour), 0},
	} {
		if got := missedTicks(tc.schedule, tc.prev, tc.now); got != tc.want {
			t.Errorf("missedTicks(%q, %v, %v) = %d, want %d", tc.schedule, tc.prev, tc.now, got, tc.want)
		}
	}
}
