package notification_test

import (
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
// going into the in-process SMTP sink.
func BenchmarkIntentsToDelivery(b *testing.B) {
	const intents, producers = 800, 8
	for b.Loop() {
		e := newEnv(b, envOptions{start: true, cfg: func(c *config.Notification) { c.WorkerConcurrency = 20 }})
		users := make([]string, producers)
		for i := range users {
			users[i] = e.user(b, fmt.Sprintf("bench%d@example.com", i))
		}
		start := time.Now()
		var wg sync.WaitGroup
		for p := range producers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range intents / producers {
					e.notify(b, notification.Intent{Kind: "lobby.invite.created", UserIDs: []string{users[p]},
						DedupeKey: fmt.Sprintf("bench:%d:%d", p, i), Payload: map[string]any{
							"game_id": "gam_bench", "game_name": "Bench", "invite_id": fmt.Sprintf("inv_%d_%d", p, i),
							"inviter_user_id": users[0], "expires_at": time.Now().Add(time.Hour),
						}})
				}
			}()
		}
		wg.Wait()
		committed := time.Since(start)
		for e.count(b, "SELECT count(*) FROM notification_routes WHERE status <> 'delivered'") > 0 {
			if time.Since(start) > 5*time.Minute {
				b.Fatal("routes not delivered within 5 minutes")
			}
			time.Sleep(10 * time.Millisecond)
		}
		elapsed := time.Since(start)
		b.ReportMetric(intents/committed.Seconds(), "intents-committed/s")
		b.ReportMetric(intents/elapsed.Seconds(), "intents-delivered/s")
		b.ReportMetric(2*intents/elapsed.Seconds(), "routes/s")
	}
}
