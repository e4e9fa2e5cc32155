package geo_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/galaxy-platform/galaxy/internal/geo"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// network is one record of a test database: located and registered country.
type network struct {
	cidr, country, registered string
}

// testNetworks is the content of the tiny GeoLite2-Country database the
// tests build. 10.0.0.0/8 is there so that the test proves private
// addresses are never looked up, not merely absent from the file.
var testNetworks = []network{
	{cidr: "81.2.69.0/24", country: "GB", registered: "GB"},
	{cidr: "2001:db8::/32", country: "DE", registered: "DE"},
	{cidr: "89.160.20.0/24", registered: "SE"}, // an anonymous proxy: no located country
	{cidr: "10.0.0.0/8", country: "FR", registered: "FR"},
}

// writeMMDB builds a database of type dbType holding nets and returns its
// path.
func writeMMDB(t testing.TB, dbType string, nets []network) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            dbType,
		RecordSize:              24,
		IncludeReservedNetworks: true, // 2001:db8::/32 and 10/8 are reserved ranges
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nets {
		_, ipnet, err := net.ParseCIDR(n.cidr)
		if err != nil {
			t.Fatal(err)
		}
		rec := mmdbtype.Map{}
		if n.country != "" {
			rec["country"] = mmdbtype.Map{"iso_code": mmdbtype.String(n.country)}
		}
		if n.registered != "" {
			rec["registered_country"] = mmdbtype.Map{"iso_code": mmdbtype.String(n.registered)}
		}
		if err := tree.Insert(ipnet, rec); err != nil {
			t.Fatalf("insert %s: %v", n.cidr, err)
		}
	}
	path := filepath.Join(t.TempDir(), dbType+".mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// newService builds a service on a fresh database. It is not started; the
// flush interval defaults to an hour so that only explicit flushes (Flush,
// Stop) write, unless mutate says otherwise.
func newService(t testing.TB, mutate func(*geo.Config)) (*geo.Service, *pgxpool.Pool) {
	t.Helper()
	return newServiceLogging(t, mutate, quiet)
}

func newServiceLogging(t testing.TB, mutate func(*geo.Config), logger *slog.Logger) (*geo.Service, *pgxpool.Pool) {
	t.Helper()
	cfg := geo.Config{FlushInterval: time.Hour}
	if mutate != nil {
		mutate(&cfg)
	}
	pool := pgtest.Pool(t)
	svc, err := geo.New(cfg, &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}, logger, nil)
	if err != nil {
		t.Fatal(err)
	}
	return svc, pool
}

// start starts svc and stops it when the test ends, if the test did not.
func start(t testing.TB, svc *geo.Service) {
	t.Helper()
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = svc.Stop(ctx) // a second Stop is a no-op
	})
}

// countsByCountry reads every day's counts, summed per country.
func countsByCountry(t testing.TB, svc *geo.Service) map[string]int64 {
	t.Helper()
	counts, err := svc.Counts(context.Background(), time.Now().AddDate(0, 0, -2), time.Now().AddDate(0, 0, 2))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, c := range counts {
		out[c.Country] += c.SignIns
	}
	return out
}

func assertCounts(t testing.TB, svc *geo.Service, want map[string]int64) {
	t.Helper()
	got := countsByCountry(t, svc)
	if len(got) != len(want) {
		t.Errorf("counts = %v, want %v", got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("counts = %v, want %v", got, want)
			return
		}
	}
}

// renameCounters moves the counters table away (gone=true) or back, to make
// flushes fail the way a real schema or database problem does.
func renameCounters(t testing.TB, pool *pgxpool.Pool, gone bool) {
	t.Helper()
	stmt := "ALTER TABLE geo_signin_counters RENAME TO geo_signin_counters_gone"
	if !gone {
		stmt = "ALTER TABLE geo_signin_counters_gone RENAME TO geo_signin_counters"
	}
	if _, err := pool.Exec(context.Background(), stmt); err != nil {
		t.Fatal(err)
	}
}

// logBuffer is an io.Writer safe for the flusher goroutine and the test.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
