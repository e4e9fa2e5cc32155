package outbox

import (
	"strings"
	"testing"
	"time"
)

func TestConfig(t *testing.T) {
	t.Parallel()

	t.Run("the zero config takes valid defaults", func(t *testing.T) {
		t.Parallel()
		if err := (Config{}).Validate(); err != nil {
			t.Fatal(err)
		}
		c := Config{}.withDefaults()
		if c.Stream != "GALAXY_EVENTS" || c.SubjectPrefix != "galaxy.events" || c.DuplicateWindow != 2*time.Hour {
			t.Fatalf("%+v", c)
		}
	})

	t.Run("refuses a duplicate window not longer than the retry delay", func(t *testing.T) {
		t.Parallel()
		err := Config{MaxRetryDelay: 2 * time.Hour}.Validate()
		if err == nil || !strings.Contains(err.Error(), "duplicate window") {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("refuses a claim interval longer than the poll interval", func(t *testing.T) {
		t.Parallel()
		err := Config{PollInterval: 10 * time.Millisecond, ClaimInterval: 20 * time.Millisecond}.Validate()
		if err == nil || !strings.Contains(err.Error(), "claim interval") {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("a short poll interval shortens the default claim interval", func(t *testing.T) {
		t.Parallel()
		c := Config{PollInterval: 2 * time.Millisecond}
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := c.withDefaults().ClaimInterval; got != 2*time.Millisecond {
			t.Fatalf("claim interval %s, want 2ms", got)
		}
	})

	t.Run("reports every problem at once", func(t *testing.T) {
		t.Parallel()
		err := Config{BatchSize: -1, Workers: 1000, Stream: "a.b", SubjectPrefix: "Galaxy Events"}.Validate()
		if err == nil {
			t.Fatal("no error")
		}
		for _, want := range []string{"batch size", "workers", "stream", "subject prefix"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%q not in %v", want, err)
			}
		}
	})
}
