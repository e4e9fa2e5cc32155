package backoff

import (
	"testing"
	"time"
)

func TestDelay(t *testing.T) {
	t.Parallel()
	base, ceiling := time.Second, time.Minute

	t.Run("doubles per attempt within equal jitter", func(t *testing.T) {
		t.Parallel()
		for attempt, full := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 6: 32 * time.Second} {
			for range 100 {
				if d := Delay(attempt, base, ceiling); d < full/2 || d > full {
					t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, full/2, full)
				}
			}
		}
	})
	t.Run("never exceeds the ceiling however many attempts", func(t *testing.T) {
		t.Parallel()
		for _, attempt := range []int{7, 40, 100, 1 << 30} {
			if d := Delay(attempt, base, ceiling); d > ceiling || d < ceiling/2 {
				t.Fatalf("attempt %d: %v", attempt, d)
			}
		}
	})
}
