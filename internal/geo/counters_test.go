package geo_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/geo"
)

func TestSignInCounters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("concurrent sign-ins add up exactly after Stop", func(t *testing.T) {
		t.Parallel()
		// A short interval so that flushes run while sign-ins pour in.
		svc, _ := newService(t, func(c *geo.Config) { c.FlushInterval = 10 * time.Millisecond })
		start(t, svc)
		countries := []string{"GB", "DE", "SE", "", "US"}
		const workers, perWorker = 32, 2000
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range perWorker {
					svc.RecordSignIn(countries[(w+i)%len(countries)])
				}
			})
		}
		wg.Wait()
		if err := svc.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		per := int64(workers * perWorker / len(countries))
		assertCounts(t, svc, map[string]int64{"GB": per, "DE": per, "SE": per, geo.UnknownCountry: per, "US": per})
		if st := svc.Stats(); st.Pending != 0 || st.Dropped != 0 {
			t.Errorf("stats after Stop = %+v", st)
		}
	})

	t.Run("the flusher writes on its own every interval", func(t *testing.T) {
		t.Parallel()
		svc, _ := newService(t, func(c *geo.Config) { c.FlushInterval = 20 * time.Millisecond })
		start(t, svc)
		svc.RecordSignIn("GB")
		deadline := time.Now().Add(10 * time.Second)
		for countsByCountry(t, svc)["GB"] != 1 {
			if time.Now().After(deadline) {
				t.Fatal("sign-in not written within 10 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})

	t.Run("Stop flushes what is pending", func(t *testing.T) {
		t.Parallel()
		svc, _ := newService(t, nil) // interval of an hour: only Stop writes
		start(t, svc)
		for range 3 {
			svc.RecordSignIn("DE")
		}
		svc.RecordSignIn("GB")
		assertCounts(t, svc, map[string]int64{})
		if err := svc.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		assertCounts(t, svc, map[string]int64{"DE": 3, "GB": 1})
	})

	t.Run("sign-ins after Stop are dropped and counted", func(t *testing.T) {
		t.Parallel()
		svc, _ := newService(t, nil)
		start(t, svc)
		if err := svc.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		svc.RecordSignIn("GB")
		if st := svc.Stats(); st.Dropped != 1 || st.Pending != 0 {
			t.Errorf("stats = %+v, want one dropped", st)
		}
	})

	t.Run("country codes are normalised and anything else is unknown", func(t *testing.T) {
		t.Parallel()
		svc, _ := newService(t, nil)
		for _, c := range []string{"gb", "GB", "Gb", "", "Germany", "1A", "G", "ÄÖ"} {
			svc.RecordSignIn(c)
		}
		if err := svc.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		assertCounts(t, svc, map[string]int64{"GB": 3, geo.UnknownCountry: 5})
	})

	t.Run("a cancelled flush keeps the increments for the next one", func(t *testing.T) {
		t.Parallel()
		svc, _ := newService(t, nil)
		svc.RecordSignIn("SE")
		svc.RecordSignIn("SE")
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if err := svc.Flush(cancelled); err == nil {
			t.Fatal("flush with a cancelled context succeeded")
		}
		if st := svc.Stats(); st.Pending != 2 {
			t.Errorf("pending after failed flush = %d, want 2", st.Pending)
		}
		if err := svc.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		assertCounts(t, svc, map[string]int64{"SE": 2})
	})

	t.Run("a database failure keeps the increments until the table is back", func(t *testing.T) {
		t.Parallel()
		svc, pool := newService(t, nil)
		svc.RecordSignIn("GB")
		svc.RecordSignIn("GB")
		svc.RecordSignIn("GB")
		renameCounters(t, pool, true)
		if err := svc.Flush(ctx); err == nil {
			t.Fatal("flush without the table succeeded")
		}
		// More sign-ins arrive while the failed batch waits.
		svc.RecordSignIn("GB")
		svc.RecordSignIn("GB")
		svc.RecordSignIn("DE")
		if err := svc.Flush(ctx); err == nil {
			t.Fatal("second flush without the table succeeded")
		}
		if st := svc.Stats(); st.Pending != 6 || st.FlushFailures != 2 {
			t.Errorf("stats while failing = %+v, want 6 pending, 2 failures", st)
		}
		renameCounters(t, pool, false)
		if err := svc.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		assertCounts(t, svc, map[string]int64{"GB": 5, "DE": 1})
		if st := svc.Stats(); st.Pending != 0 {
			t.Errorf("pending after recovery = %d", st.Pending)
		}
	})

	t.Run("the background flusher recovers after failures", func(t *testing.T) {
		t.Parallel()
		svc, pool := newService(t, func(c *geo.Config) { c.FlushInterval = 10 * time.Millisecond })
		renameCounters(t, pool, true)
		start(t, svc)
		svc.RecordSignIn("US")
		deadline := time.Now().Add(10 * time.Second)
		for svc.Stats().FlushFailures < 3 {
			if time.Now().After(deadline) {
				t.Fatal("flusher did not try")
			}
			time.Sleep(5 * time.Millisecond)
		}
		renameCounters(t, pool, false)
		for countsByCountry(t, svc)["US"] != 1 {
			if time.Now().After(deadline) {
				t.Fatal("sign-in not written after recovery")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})

	t.Run("Stop logs and reports what it could not write", func(t *testing.T) {
		t.Parallel()
		var logs logBuffer
		svc, pool := newServiceLogging(t, nil, slog.New(slog.NewTextHandler(&logs, nil)))
		start(t, svc)
		svc.RecordSignIn("GB")
		svc.RecordSignIn("DE")
		svc.RecordSignIn("DE")
		renameCounters(t, pool, true)
		err := svc.Stop(ctx)
		if err == nil || !strings.Contains(err.Error(), "3 sign-ins not written") {
			t.Fatalf("Stop = %v, want an error about 3 sign-ins", err)
		}
		today := time.Now().UTC().Format(time.DateOnly)
		for _, want := range []string{"sign-in counters lost at shutdown", "DE " + today + "=2", "GB " + today + "=1"} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("log lacks %q:\n%s", want, logs.String())
			}
		}
	})

	t.Run("a full backlog drops new countries and counts the drops", func(t *testing.T) {
		t.Parallel()
		svc, pool := newService(t, func(c *geo.Config) { c.MaxPending = 2 })
		renameCounters(t, pool, true)
		svc.RecordSignIn("GB")
		svc.RecordSignIn("DE")
		_ = svc.Flush(ctx) // fails: GB and DE wait as a batch
		svc.RecordSignIn("FR")
		svc.RecordSignIn("US")
		_ = svc.Flush(ctx) // fails: FR and US fill the backlog
		svc.RecordSignIn("JP")
		svc.RecordSignIn("FR") // known key: still counted
		_ = svc.Flush(ctx)     // fails: JP is dropped
		if st := svc.Stats(); st.Dropped != 1 || st.Pending != 5 {
			t.Errorf("stats = %+v, want 1 dropped, 5 pending", st)
		}
		renameCounters(t, pool, false)
		if err := svc.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		assertCounts(t, svc, map[string]int64{"GB": 1, "DE": 1, "FR": 2, "US": 1})
	})
}

func TestCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, pool := newService(t, nil)
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	//nolint:misspell // signins is the column's name
	_, err := pool.Exec(ctx, `INSERT INTO geo_signin_counters (country, day, signins) VALUES
		('GB', '2025-03-01', 4), ('DE', '2025-03-01', 2), ('GB', '2025-03-02', 7), ('FR', '2025-03-05', 1)`)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("returns the inclusive range ordered by day then country", func(t *testing.T) {
		t.Parallel()
		got, err := svc.Counts(ctx, day("2025-03-01"), day("2025-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2025-03-01 DE 2", "2025-03-01 GB 4", "2025-03-02 GB 7"}
		if fmt.Sprint(render(got)) != fmt.Sprint(want) {
			t.Errorf("got %v, want %v", render(got), want)
		}
	})
	t.Run("times within a day select the whole day", func(t *testing.T) {
		t.Parallel()
		from := time.Date(2025, 3, 5, 23, 0, 0, 0, time.FixedZone("UTC+2", 2*3600)) // 21:00 UTC on the 5th
		got, err := svc.Counts(ctx, from, from)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(render(got)) != "[2025-03-05 FR 1]" {
			t.Errorf("got %v", render(got))
		}
	})
	t.Run("an empty range is empty, not an error", func(t *testing.T) {
		t.Parallel()
		got, err := svc.Counts(ctx, day("2024-01-01"), day("2024-01-31"))
		if err != nil || len(got) != 0 {
			t.Errorf("got %v, %v", got, err)
		}
	})
	t.Run("a reversed range is an invalid argument", func(t *testing.T) {
		t.Parallel()
		_, err := svc.Counts(ctx, day("2025-03-02"), day("2025-03-01"))
		if !errs.Is(err, errs.InvalidArgument) {
			t.Errorf("err = %v, want invalid_argument", err)
		}
	})
}

func render(cs []geo.Count) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprintf("%s %s %d", c.Day.Format(time.DateOnly), c.Country, c.SignIns)
	}
	return out
}

func TestConfig(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		cfg  geo.Config
	}{
		{"rejects a flush interval that would spin", geo.Config{FlushInterval: time.Nanosecond}},
		{"rejects a negative bound", geo.Config{MaxPending: -1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if _, err := geo.New(c.cfg, nil, quiet, nil); err == nil {
				t.Error("New accepted it")
			}
		})
	}
}
