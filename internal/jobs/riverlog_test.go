package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

// riverLines logs what River logs while all is well, plus a start and a
// warning, through the logger New gives River, and returns the JSON lines.
func riverLines(t *testing.T, level string) []map[string]any {
	t.Helper()
	var buf bytes.Buffer
	logger := newRiverLogger(telemetry.NewLogger(&buf, level)).With("component", "river")
	ctx := context.Background()
	logger.InfoContext(ctx, "River client started", slog.String("client_id", "c1"))
	logger.InfoContext(ctx, "producer: Producer job counts", slog.Uint64("num_completed_jobs", 3), slog.String("queue", "mail"))
	logger.InfoContext(ctx, "JobCleaner: Ran successfully", slog.Int("num_jobs_deleted", 7))
	logger.WarnContext(ctx, "elector: Current leader stepping down because the reelection deadline elapsed")
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		out = append(out, m)
	}
	return out
}

func TestRiverLogger(t *testing.T) {
	t.Parallel()

	t.Run("at info, River's periodic heartbeat lines are left out", func(t *testing.T) {
		t.Parallel()
		lines := riverLines(t, "info")
		var got []string
		for _, l := range lines {
			got = append(got, l["level"].(string)+" "+l["msg"].(string))
		}
		want := []string{"INFO River client started",
			"WARN elector: Current leader stepping down because the reelection deadline elapsed"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("at debug, they are there as DEBUG with their attributes", func(t *testing.T) {
		t.Parallel()
		lines := riverLines(t, "debug")
		if len(lines) != 4 {
			t.Fatalf("%d lines: %v", len(lines), lines)
		}
		counts, cleaner := lines[1], lines[2]
		if counts["level"] != "DEBUG" || counts["msg"] != "producer: Producer job counts" ||
			counts["queue"] != "mail" || counts["component"] != "river" {
			t.Errorf("job counts: %v", counts)
		}
		if cleaner["level"] != "DEBUG" || cleaner["num_jobs_deleted"] != float64(7) {
			t.Errorf("cleaner: %v", cleaner)
		}
		if lines[0]["level"] != "INFO" {
			t.Errorf("start: %v", lines[0])
		}
	})
}
