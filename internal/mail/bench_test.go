package mail_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

const benchBurst = 2000

type noopArgs struct{}

func (noopArgs) Kind() string { return "bench.noop" }

type noopWorker struct {
	river.WorkerDefaults[noopArgs]
}

func (noopWorker) Work(context.Context, *river.Job[noopArgs]) error { return nil }

// BenchmarkDeliveryThroughput prints deliveries per second from commit to
// the SMTP sink's acceptance, and, measured in the same run on the same
// database, the rate of bare no-op River jobs, with the ratio of the two.
//
// The clock starts before the first of the burst's transactions, so the
// producer's own rate bounds the result: enqueues/s reports it (2,000
// mails in 10 transactions of one EnqueueManyTx each, as a turn's mail
// arrives, while the workers already send), next to the share of the
// burst already sent when the last transaction committed. The no-op jobs
// are inserted the same way, in one InsertMany.
func BenchmarkDeliveryThroughput(b *testing.B) {
	for b.Loop() {
		e := newEnv(b, func(c *config.Mail) { c.Concurrency = 20 }, true)
		start := time.Now()
		insertBurst(b, e)
		intake := time.Since(start)
		sentDuringIntake := e.sink.Count()
		for e.sink.Count() < benchBurst {
			time.Sleep(5 * time.Millisecond)
			if time.Since(start) > 5*time.Minute {
				b.Fatalf("only %d of %d delivered", e.sink.Count(), benchBurst)
			}
		}
		mailRate := benchBurst / time.Since(start).Seconds()

		noopRate := noopJobRate(b, e)
		b.ReportMetric(mailRate, "deliveries/s")
		b.ReportMetric(noopRate, "noop-jobs/s")
		b.ReportMetric(mailRate/noopRate, "ratio")
		b.ReportMetric(benchBurst/intake.Seconds(), "enqueues/s")
		b.ReportMetric(float64(sentDuringIntake)/benchBurst, "sent-by-last-commit")
	}
}

func insertBurst(b *testing.B, e *env) {
	b.Helper()
	for batch := 0; batch < benchBurst/200; batch++ {
		err := postgres.InTx(context.Background(), e.pool, func(ctx context.Context, tx pgx.Tx) error {
			reqs := make([]mail.Request, 200)
			for i := range reqs {
				reqs[i] = loginCode(fmt.Sprintf("b%05d@example.com", batch*200+i))
			}
			out, err := e.svc.EnqueueManyTx(ctx, tx, reqs)
			for _, o := range out {
				if o.Err != nil {
					return o.Err
				}
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func noopJobRate(b *testing.B, e *env) float64 {
	b.Helper()
	ctx := context.Background()
	// A queue of its own, sized like the mail queue: the mail client also
	// works the default queue and knows no noop worker.
	jc, err := jobs.New(e.pool, config.Jobs{MaxWorkers: 1, FetchCooldown: 10 * time.Millisecond,
		SoftStopTimeout: time.Second, RescueStuckAfter: time.Minute},
		jobs.Options{Queues: map[string]river.QueueConfig{"bench_noop": {MaxWorkers: 20, FetchCooldown: 10 * time.Millisecond}}}, quiet)
	if err != nil {
		b.Fatal(err)
	}
	jobs.Register(jc, noopWorker{})
	params := make([]river.InsertManyParams, benchBurst)
	for i := range params {
		params[i] = river.InsertManyParams{Args: noopArgs{}, InsertOpts: &river.InsertOpts{Queue: "bench_noop"}}
	}
	start := time.Now()
	if _, err := jc.River().InsertMany(ctx, params); err != nil {
		b.Fatal(err)
	}
	if err := jc.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = jc.Stop(ctx) }()
	for {
		var left int
		if err := e.pool.QueryRow(ctx, "SELECT count(*) FROM river_job WHERE kind = 'bench.noop' AND state <> 'completed'").Scan(&left); err != nil {
			b.Fatal(err)
		}
		if left == 0 {
			return benchBurst / time.Since(start).Seconds()
		}
		if time.Since(start) > 5*time.Minute {
			b.Fatalf("%d noop jobs left after 5 minutes", left)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
