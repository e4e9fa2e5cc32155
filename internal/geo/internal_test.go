package geo

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// These tests reach inside for what the API cannot show: a flush whose
// commit succeeded but whose answer was lost, and the clock at midnight.

func newInternal(t *testing.T) *Service {
	t.Helper()
	svc, err := New(Config{FlushInterval: time.Hour}, &postgres.DB{Pool: pgtest.Pool(t)},
		slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestBatchIsAppliedOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := newInternal(t)
	day := epochDay(time.Now())
	b := newBatch(map[dayCountry]int64{{day: day, country: countryKey("GB")}: 4})
	// The first write commits; pretend its answer never arrived and the
	// flusher retries the same batch, as it does after a timeout.
	for range 3 {
		if err := svc.write(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := svc.Counts(ctx, time.Now(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 1 || counts[0].SignIns != 4 {
		t.Errorf("counts = %+v, want GB 4 once", counts)
	}
}

func TestSignInsCountOnTheirUTCDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := newInternal(t)
	midnight := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	svc.now = func() time.Time { return midnight.Add(-time.Second) }
	svc.RecordSignIn("GB")
	svc.now = func() time.Time { return midnight.Add(time.Second) }
	svc.RecordSignIn("GB")
	svc.RecordSignIn("GB")
	if err := svc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	counts, err := svc.Counts(ctx, midnight.AddDate(0, 0, -1), midnight)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts[0].SignIns != 1 || counts[1].SignIns != 2 ||
		!counts[0].Day.Equal(midnight.AddDate(0, 0, -1)) || !counts[1].Day.Equal(midnight) {
		t.Errorf("counts = %+v, want 1 on June 1st and 2 on June 2nd", counts)
	}
}

func TestEpochDay(t *testing.T) {
	t.Parallel()
	for _, tm := range []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2025, 6, 1, 23, 59, 59, 0, time.FixedZone("x", -5*3600)), // June 2nd in UTC
	} {
		k := dayCountry{day: epochDay(tm)}
		if !k.Time().Equal(utcDate(tm)) {
			t.Errorf("epochDay(%s) gives %s, want %s", tm, k.Time(), utcDate(tm))
		}
	}
}
