package notification_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/notification"
)

// BenchmarkIntentsToDelivery prints intents per second from commit to
// every route delivered: 8 producers, one intent per transaction, each for
// one user with a push and an email route (lobby.invite.created), the mail
// going into the in-process SMTP sink (and being sent meanwhile), with the
// default worker concurrency. The same-run reference is the producers'
// own commit rate with no worker running: delivery cannot beat it. The
// intents so committed are then drained by the workers alone, which shows
// what dispatch can do when producers do not compete for the cores.
func BenchmarkIntentsToDelivery(b *testing.B) {
	const intents, producers = 800, 8
	for b.Loop() {
		alone := newEnv(b, envOptions{cfg: defaultConcurrency})
		committedAlone := produce(b, alone, intents, producers)
		start := time.Now()
		if err := alone.jobs.Start(b.Context()); err != nil {
			b.Fatal(err)
		}
		waitDelivered(b, alone, start)
		drained := intents / time.Since(start).Seconds()
		stopJobs(b, alone)

		e := newEnv(b, envOptions{start: true, cfg: defaultConcurrency})
		start = time.Now()
		committed := produce(b, e, intents, producers)
		waitDelivered(b, e, start)
		delivered := intents / time.Since(start).Seconds()
		b.ReportMetric(intents/committedAlone.Seconds(), "ref-intents-committed-alone/s")
		b.ReportMetric(drained, "backlog-drained-intents/s")
		b.ReportMetric(intents/committed.Seconds(), "intents-committed/s")
		b.ReportMetric(delivered, "intents-delivered/s")
		b.ReportMetric(2*delivered, "routes/s")
		b.ReportMetric(delivered*committedAlone.Seconds()/intents, "delivered-vs-alone")
	}
}

// defaultConcurrency sets the worker concurrency the platform runs with.
func defaultConcurrency(c *config.Notification) {
	def, err := config.Load(config.ModeDev, func(string) (string, bool) { return "", false })
	if err != nil {
		panic(err)
	}
	c.WorkerConcurrency = def.Notification.WorkerConcurrency
}

// waitDelivered waits until no route is left to deliver.
func waitDelivered(b *testing.B, e *env, since time.Time) {
	for e.count(b, "SELECT count(*) FROM notification_routes WHERE status <> 'delivered'") > 0 {
		if time.Since(since) > 5*time.Minute {
			b.Fatal("routes not delivered within 5 minutes")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stopJobs stops e's workers (their mail included), so that they do not
// compete with the next phase.
func stopJobs(b *testing.B, e *env) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.jobs.Stop(ctx); err != nil {
		b.Fatal(err)
	}
}

// produce commits intents from producers concurrently, one intent per
// transaction, and returns how long that took.
func produce(b *testing.B, e *env, intents, producers int) time.Duration {
	users := make([]string, producers)
	for i := range users {
		users[i] = e.user(b, fmt.Sprintf("bench%d@example.com", i))
	}
	start := time.Now()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range intents / producers {
				e.notify(b, notification.Intent{Kind: "lobby.invite.created", UserIDs: []string{users[p]},
					DedupeKey: fmt.Sprintf("bench:%d:%d", p, i), Payload: map[string]any{
						"game_id": "gam_bench", "game_name": "Bench", "invite_id": fmt.Sprintf("inv_%d_%d", p, i),
						"inviter_user_id": users[0], "expires_at": time.Now().Add(time.Hour),
					}})
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}
