package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// riverAlone is BenchmarkScheduledTurns' second same-run reference: the
// lag of a tick whose turns do nothing. N no-op jobs are queued the way
// turn commits queue the next turns (a batch per transaction), all due at
// the same instant, on a queue configured as the turn queue: what is left
// is River's share of a tick's lag (the scheduler's pass, the fetches, the
// completions), the floor under the lag of the first turns.
type riverAlone struct {
	jobs            int
	first, p50, p99 time.Duration // from the tick to a job's start
	lastDone        time.Duration // from the tick to the last completion
}

func (r riverAlone) String() string {
	return fmt.Sprintf("%d no-op jobs due at one tick: started after %.2f s (first), %.2f s (p50), %.2f s (p99); "+
		"the last done after %.2f s", r.jobs, r.first.Seconds(), r.p50.Seconds(), r.p99.Seconds(), r.lastDone.Seconds())
}

// benchNoopArgs is the reference's job.
type benchNoopArgs struct {
	N int `json:"n"`
}

func (benchNoopArgs) Kind() string { return "bench.noop" }

type benchNoopWorker struct {
	river.WorkerDefaults[benchNoopArgs]
}

func (benchNoopWorker) Work(context.Context, *river.Job[benchNoopArgs]) error { return nil }

// benchNoopQueue is the reference's own queue, so that the runtime's
// workers never see its jobs.
const benchNoopQueue = "bench_noop"

// measureRiverAlone runs the reference with n jobs and workers workers, on
// a River client of its own over pool (the runtime's, if it is the leader,
// may be the one whose scheduler makes the jobs available).
func measureRiverAlone(b *testing.B, pool *pgxpool.Pool, n, workers int) riverAlone {
	b.Helper()
	ctx := context.Background()
	w := river.NewWorkers()
	river.AddWorker(w, benchNoopWorker{})
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Schema: postgres.Schema, Workers: w, Logger: slog.New(slog.DiscardHandler),
		Queues: map[string]river.QueueConfig{benchNoopQueue: {MaxWorkers: workers, FetchCooldown: fetchCooldown,
			FetchPollInterval: turnPollInterval}},
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := rc.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		_ = rc.Stop(stop)
	}()
	// Past the scheduler's look-ahead (5 s), as a tick is for turns
	// queued by the previous one.
	tick := time.Now().Add(8 * time.Second).Truncate(time.Second)
	for from := 0; from < n; from += turnBatchMax {
		err := postgres.InTx(ctx, pool, func(ctx context.Context, tx pgx.Tx) error {
			jobs := make([]river.InsertManyParams, 0, turnBatchMax)
			for i := from; i < min(from+turnBatchMax, n); i++ {
				jobs = append(jobs, river.InsertManyParams{Args: benchNoopArgs{N: i},
					InsertOpts: &river.InsertOpts{Queue: benchNoopQueue, ScheduledAt: tick}})
			}
			_, err := rc.InsertManyTx(ctx, tx, jobs)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	done := func() int {
		var c int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'bench.noop' AND state = 'completed'`).Scan(&c); err != nil {
			b.Fatal(err)
		}
		return c
	}
	for deadline := tick.Add(5 * time.Minute); done() < n; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("river alone: %d of %d no-op jobs done after 5 minutes", done(), n)
		}
	}
	r := riverAlone{jobs: n}
	rows, err := pool.Query(ctx, `SELECT attempted_at FROM river_job WHERE kind = 'bench.noop' ORDER BY attempted_at`)
	if err != nil {
		b.Fatal(err)
	}
	starts, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		b.Fatal(err)
	}
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	r.first, r.p50, r.p99 = starts[0].Sub(tick), starts[len(starts)/2].Sub(tick), starts[min(len(starts)-1, len(starts)*99/100)].Sub(tick)
	var last time.Time
	if err := pool.QueryRow(ctx, `SELECT max(finalized_at) FROM river_job WHERE kind = 'bench.noop'`).Scan(&last); err != nil {
		b.Fatal(err)
	}
	r.lastDone = last.Sub(tick)
	if _, err := pool.Exec(ctx, `DELETE FROM river_job WHERE kind = 'bench.noop'`); err != nil {
		b.Fatal(err)
	}
	return r
}
