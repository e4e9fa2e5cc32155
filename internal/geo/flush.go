package geo

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/galaxy-platform/galaxy/internal/geo/geostore"
)

// flushTimeout bounds one flush from the background loop, so that a hung
// connection delays the next flush instead of stopping them all.
const flushTimeout = 30 * time.Second

// batch is a set of increments written, or being retried, as one
// transaction. Its id makes retries idempotent: see geo_signin_flushes.
type batch struct {
	id     string
	counts map[dayCountry]int64
}

func newBatch(counts map[dayCountry]int64) *batch {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return &batch{id: hex.EncodeToString(b[:]), counts: counts}
}

// Flush writes every pending increment now, and returns once they are in
// the database or the attempt failed. On failure nothing is lost: the
// increments stay pending and the next flush (this call again, the
// background loop, or Stop) writes them. Admin tools and tests call it to
// see up-to-date counts; the service flushes on its own every FlushInterval.
func (s *Service) Flush(ctx context.Context) error {
	return s.flush(ctx)
}

// flush moves what the stripes hold into the backlog, then writes first the
// batch that failed last time (same id, so it is applied at most once even
// if that attempt did commit), then the backlog as a new batch. Only one
// flush runs at a time.
func (s *Service) flush(ctx context.Context) error {
	select {
	case s.flushSem <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("geo: flush: %w", ctx.Err())
	}
	defer func() { <-s.flushSem }()
	defer s.updateHeld()

	s.mergeBacklog(s.stripes.drain(nil))
	s.updateHeld() // what left the stripes must not vanish from Stats meanwhile
	if s.inflight != nil {
		if err := s.write(ctx, s.inflight); err != nil {
			return err
		}
		s.inflight = nil
	}
	if len(s.backlog) == 0 {
		return nil
	}
	s.inflight = newBatch(s.backlog)
	s.backlog = make(map[dayCountry]int64)
	if err := s.write(ctx, s.inflight); err != nil {
		return err
	}
	s.inflight = nil
	return nil
}

// mergeBacklog adds drained counts to the backlog, dropping (and counting)
// sign-ins for new keys once the backlog holds MaxPending keys: while the
// database is down the backlog is where memory would otherwise grow.
func (s *Service) mergeBacklog(drained map[dayCountry]int64) {
	for k, v := range drained {
		if _, ok := s.backlog[k]; !ok && len(s.backlog) >= s.cfg.MaxPending {
			s.dropped.Add(v)
			continue
		}
		s.backlog[k] += v
	}
}

// updateHeld publishes what the flusher holds, so Stats need not wait for a
// flush in progress.
func (s *Service) updateHeld() {
	var n int64
	for _, v := range s.backlog {
		n += v
	}
	if s.inflight != nil {
		for _, v := range s.inflight.counts {
			n += v
		}
	}
	s.held.Store(n)
}

// write applies b in one transaction: claim the batch id, then one upsert
// of every (country, day). If the id is already claimed, an earlier attempt
// committed and the answer was lost; the batch is done.
func (s *Service) write(ctx context.Context, b *batch) error {
	keys := sortedKeys(b.counts)
	params := geostore.AddSignInsParams{
		Countries: make([]string, len(keys)),
		Days:      make([]pgtype.Date, len(keys)),
		SignIns:   make([]int64, len(keys)),
	}
	for i, k := range keys {
		params.Countries[i] = k.Country()
		params.Days[i] = pgtype.Date{Time: k.Time(), Valid: true}
		params.SignIns[i] = b.counts[k]
	}
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := geostore.New(tx)
		n, err := q.ClaimFlush(ctx, b.id)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if err := q.AddSignIns(ctx, params); err != nil {
			return err
		}
		return q.PruneFlushes(ctx)
	})
	if err != nil {
		s.flushFailures.Add(1)
		return fmt.Errorf("geo: flush %d country-days: %w", len(keys), err)
	}
	return nil
}

// sortedKeys orders keys by country then day, the primary key's order, so
// that concurrent replicas lock rows in the same order.
func sortedKeys(m map[dayCountry]int64) []dayCountry {
	keys := make([]dayCountry, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b dayCountry) int {
		if c := cmp.Compare(a.Country(), b.Country()); c != 0 {
			return c
		}
		return cmp.Compare(a.day, b.day)
	})
	return keys
}

// unflushed describes what the flusher still holds, for the shutdown log.
// Called only with flushSem held or after the flusher has stopped.
func (s *Service) unflushed() (total int64, detail string) {
	all := make(map[dayCountry]int64, len(s.backlog))
	for k, v := range s.backlog {
		all[k] += v
	}
	if s.inflight != nil {
		for k, v := range s.inflight.counts {
			all[k] += v
		}
	}
	const maxListed = 300 // every country on one day, with room
	var sb strings.Builder
	for i, k := range sortedKeys(all) {
		total += all[k]
		if i < maxListed {
			if i > 0 {
				sb.WriteString(", ")
			}
			fmt.Fprintf(&sb, "%s %s=%d", k.Country(), k.Time().Format(time.DateOnly), all[k])
		} else if i == maxListed {
			fmt.Fprintf(&sb, ", … %d more", len(all)-maxListed)
		}
	}
	return total, sb.String()
}
