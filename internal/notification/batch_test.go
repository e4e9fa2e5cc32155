package notification_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/notification"
)

// poisonEnricher runs a failing statement in the attempt's transaction for
// one user's mail, which aborts that transaction for every route in it.
type poisonEnricher struct{ userID atomic.Value }

func (p *poisonEnricher) EnrichMailTx(ctx context.Context, tx pgx.Tx, _, userID string, _ map[string]any) ([]mail.Attachment, error) {
	if userID != p.userID.Load() {
		return nil, nil
	}
	_, err := tx.Exec(ctx, "SELECT 1 / 0")
	return nil, err
}

// TestSharedAttemptsIsolateFailures sends many intents at once, so that
// their jobs share transactions, one of them for a recipient whose mail
// fails the shared transaction with a database error. Every other route
// is delivered once; the poisoned route alone is charged, and its push
// route (in the same job) is delivered.
func TestSharedAttemptsIsolateFailures(t *testing.T) {
	t.Parallel()
	enrich := &poisonEnricher{}
	e := newEnv(t, envOptions{start: true, enrich: enrich})
	poisoned := e.user(t, "poisoned@example.com")
	enrich.userID.Store(poisoned)
	const senders = 40
	users := make([]string, senders)
	for i := range users {
		users[i] = e.user(t, fmt.Sprintf("u%d@example.com", i))
	}
	var wg sync.WaitGroup
	for i, u := range append(users, poisoned) {
		wg.Go(func() {
			e.notify(t, notification.Intent{Kind: "game.finished", UserIDs: []string{u}, DedupeKey: fmt.Sprint("fin:", i),
				Payload: map[string]any{"game_id": "gam_1", "game_name": "Andromeda", "turn": 12,
					"winners": []string{"Ann"}, "survived": true, "race_name": "Ann"}})
		})
	}
	wg.Wait()

	waitFor(t, "every other route delivered", 20*time.Second, func() bool {
		return e.count(t, `SELECT count(*) FROM notification_routes WHERE status = 'delivered'`) == 2*senders+1
	})
	waitFor(t, "the poisoned route charged", 20*time.Second, func() bool {
		return e.count(t, `SELECT count(*) FROM notification_routes r JOIN notifications n USING (notification_id)
			WHERE n.user_id = $1 AND r.channel = 'email' AND r.status = 'pending' AND r.attempts > 0
			AND r.last_error LIKE '%division by zero%'`, poisoned) == 1
	})
	if n := e.count(t, `SELECT count(*) FROM notification_routes WHERE status = 'delivered' AND attempts <> 1`); n != 0 {
		t.Errorf("%d delivered routes took more than one attempt", n)
	}
	if n := e.count(t, `SELECT count(*) FROM mail_deliveries`); n != senders {
		t.Errorf("%d mails for %d recipients", n, senders)
	}
}

// TestOneJobPerIntent: an intent to a whole game is one dispatch job for
// all its routes.
func TestOneJobPerIntent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{start: true})
	var users []string
	for i := range 10 {
		users = append(users, e.user(t, fmt.Sprintf("p%d@example.com", i)))
	}
	e.notify(t, approved("app-approved:all", users...))
	if n := e.count(t, "SELECT count(*) FROM river_job WHERE kind = 'notification.dispatch'"); n != 1 {
		t.Fatalf("%d dispatch jobs for one intent", n)
	}
	waitFor(t, "20 routes delivered", 20*time.Second, func() bool {
		return e.count(t, `SELECT count(*) FROM notification_routes WHERE status = 'delivered'`) == 20
	})
	waitFor(t, "10 mails sent", 20*time.Second, func() bool { return e.sink.Count() == 10 })
}
