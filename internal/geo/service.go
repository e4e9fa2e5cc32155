package geo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"go.opentelemetry.io/otel/metric"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/geo/geostore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Service is the geo module: country lookup, client addresses behind
// proxies, and asynchronous sign-in counters. It is a lifecycle component:
// Start loads the country database and starts the flusher; Stop writes what
// is pending. Country and ClientIP may be used before Start (country is then
// unknown); RecordSignIn may be called before Start too, and its counts are
// written once the flusher runs.
type Service struct {
	cfg     Config
	db      *postgres.DB
	logger  *slog.Logger
	now     func() time.Time
	lookup  atomic.Pointer[Lookup]
	stripes stripes

	// Flusher state, owned by whoever holds flushSem.
	flushSem chan struct{}
	backlog  map[dayCountry]int64
	inflight *batch

	held          atomic.Int64 // sign-ins in backlog + inflight
	dropped       atomic.Int64 // sign-ins never counted
	flushFailures atomic.Int64

	mu      sync.Mutex // guards the lifecycle fields below
	started bool
	stopped bool
	cancel  context.CancelFunc
	done    chan struct{}
}

// Stats is a snapshot of the counters' health, for admin views and tests.
type Stats struct {
	// Pending is the number of sign-ins recorded but not yet written.
	Pending int64
	// Dropped is the number of sign-ins never counted: the backlog was full
	// (MaxPending) or the service had stopped.
	Dropped int64
	// FlushFailures is the number of failed flush attempts since start.
	FlushFailures int64
}

// Count is the number of sign-ins from one country on one UTC day.
type Count struct {
	// Country is an ISO 3166-1 alpha-2 code, or UnknownCountry.
	Country string
	// Day is midnight UTC of the day.
	Day time.Time
	// SignIns is the number of sign-ins.
	SignIns int64
}

// New builds the service. It does no I/O: the country database is loaded by
// Start, so that a bad file fails the start like any other component. meter
// may be nil (no metrics).
func New(cfg Config, db *postgres.DB, logger *slog.Logger, meter metric.Meter) (*Service, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if db == nil || db.Pool == nil {
		return nil, errors.New("geo: a database is required for the sign-in counters")
	}
	s := &Service{
		cfg:      cfg,
		db:       db,
		logger:   logger.With("module", "geo"),
		now:      time.Now,
		stripes:  newStripes(),
		flushSem: make(chan struct{}, 1),
		backlog:  make(map[dayCountry]int64),
	}
	if err := registerMetrics(meter, s); err != nil {
		return nil, fmt.Errorf("geo: metrics: %w", err)
	}
	return s, nil
}

// Name implements lifecycle.Component.
func (s *Service) Name() string { return "geo" }

// Start loads the country database, if one is configured, and starts the
// flusher. A database that cannot be read or has no country data fails the
// start with an error naming the file.
func (s *Service) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("geo: already started")
	}
	if s.cfg.DBPath == "" {
		s.logger.Info("country lookup disabled: no GeoLite2-Country database configured; " +
			"set BACKEND_GEO_DB_PATH to a GeoLite2-Country.mmdb (free from MaxMind) to enable it")
	} else {
		l, err := OpenLookup(s.cfg.DBPath)
		if err != nil {
			return fmt.Errorf("%w (BACKEND_GEO_DB_PATH)", err)
		}
		s.lookup.Store(l)
		s.logger.Info("country lookup enabled", "path", l.Path(), "database_type", l.DatabaseType(),
			"built", l.BuildTime().Format(time.DateOnly))
	}
	// The flusher lives until Stop, not until Start's context ends: a
	// shutdown signal cancels that context before Stop's final flush.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel, s.done = cancel, make(chan struct{})
	s.started = true
	go s.run(runCtx)
	return nil
}

// run flushes every FlushInterval until its context is cancelled. A failed
// flush keeps its increments, and the next tick retries them: the interval
// is the back-off.
func (s *Service) run(ctx context.Context) {
	defer close(s.done)
	t := time.NewTicker(s.cfg.FlushInterval)
	defer t.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fctx, cancel := context.WithTimeout(ctx, flushTimeout)
		err := s.flush(fctx)
		cancel()
		switch {
		case err == nil && failures > 0:
			s.logger.Info("sign-in counters flushed again", "failed_attempts", failures)
			failures = 0
		case err != nil && ctx.Err() != nil:
			return // Stop cancelled the attempt; it flushes itself
		case err != nil:
			failures++
			// The first failure, then about once a minute at the default
			// interval: enough to notice without flooding the log.
			if failures == 1 || failures%12 == 0 {
				s.logger.Warn("sign-in counters not flushed; increments kept for the next try",
					"error", err, "failed_attempts", failures, "pending", s.Stats().Pending)
			}
		}
	}
}

// Stop stops the flusher and writes everything pending, within ctx's
// deadline. Sign-ins recorded after Stop begins are dropped and counted as
// such. What cannot be written is logged (country, day, count) and reported
// in the returned error: the process is going away and cannot retry.
func (s *Service) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil
	}
	s.stopped = true
	s.stripes.close()
	if s.cancel != nil {
		s.cancel()
		select {
		case <-s.done:
		case <-ctx.Done():
		}
	}
	err := s.flush(ctx)
	if dropped := s.dropped.Load(); dropped > 0 {
		s.logger.Warn("sign-ins dropped since start", "dropped", dropped)
	}
	if err == nil {
		return nil
	}
	// With the flusher free, list exactly what is lost. If a cancelled flush
	// still holds it (Stop's deadline passed first), only a total is known.
	select {
	case s.flushSem <- struct{}{}:
		s.mergeBacklog(s.stripes.drain(nil))
		n, detail := s.unflushed()
		<-s.flushSem
		s.logger.Error("sign-in counters lost at shutdown", "sign_ins", n, "unflushed", detail, "error", err)
		return fmt.Errorf("geo: %d sign-ins not written at shutdown: %w", n, err)
	default:
		n := s.Stats().Pending
		s.logger.Error("sign-in counters lost at shutdown: a flush was still running", "sign_ins", n, "error", err)
		return fmt.Errorf("geo: about %d sign-ins not written at shutdown: %w", n, err)
	}
}

// Country returns the ISO 3166-1 alpha-2 code of addr's country, or "" when
// it is unknown (see Lookup.Country) or no database is loaded.
func (s *Service) Country(addr netip.Addr) string { return s.lookup.Load().Country(addr) }

// ClientIP returns the address r comes from, believing X-Forwarded-For only
// from the configured trusted proxies (see the ClientIP function).
func (s *Service) ClientIP(r *http.Request) netip.Addr { return ClientIP(r, s.cfg.TrustedProxies) }

// RequestCountry returns the country of r's client address, or "".
func (s *Service) RequestCountry(r *http.Request) string { return s.Country(s.ClientIP(r)) }

// RecordSignIn counts one sign-in from country (an ISO code as Country
// returns it; "" or anything that is not two letters counts as
// UnknownCountry) on today's UTC date. It never blocks on I/O: it bumps an
// in-memory counter that the flusher writes later.
func (s *Service) RecordSignIn(country string) {
	k := dayCountry{day: epochDay(s.now()), country: countryKey(country)}
	if !s.stripes.add(k) {
		s.dropped.Add(1)
	}
}

// Counts returns the written sign-in counts for the UTC days from..to
// (inclusive, times truncated to their UTC date), ordered by day then
// country. Sign-ins not yet flushed are not included; call Flush first for
// an up-to-date answer. It returns an invalid_argument error when to is
// before from, and unavailable when the database does not answer.
func (s *Service) Counts(ctx context.Context, from, to time.Time) ([]Count, error) {
	fromDay, toDay := utcDate(from), utcDate(to)
	if toDay.Before(fromDay) {
		return nil, errs.E(errs.InvalidArgument, "the range ends (%s) before it starts (%s)",
			toDay.Format(time.DateOnly), fromDay.Format(time.DateOnly))
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := geostore.New(s.db.Pool).CountSignIns(ctx, geostore.CountSignInsParams{
		FromDay: pgtype.Date{Time: fromDay, Valid: true},
		ToDay:   pgtype.Date{Time: toDay, Valid: true},
	})
	if err != nil {
		return nil, postgres.Translate(fmt.Errorf("geo: counts: %w", err))
	}
	out := make([]Count, len(rows))
	for i, r := range rows {
		out[i] = Count{Country: r.Country, Day: r.Day.Time.UTC(), SignIns: r.SignIns}
	}
	return out, nil
}

// Stats returns a snapshot of the counters' health.
func (s *Service) Stats() Stats {
	return Stats{
		Pending:       s.stripes.pending() + s.held.Load(),
		Dropped:       s.dropped.Load(),
		FlushFailures: s.flushFailures.Load(),
	}
}
