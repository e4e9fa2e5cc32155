package mail_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/mail"
)

func TestAttempts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("carries every recipient in order, the reply header and attachments", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil, true)
		to := []string{"zoe@example.com", "adam@example.com", "mia@example.com"}
		res, err := e.svc.Enqueue(ctx, mail.Request{
			Template: "game.turn.ready", To: to, Locale: "en", InReplyTo: "orders-17@example.com",
			Data:        map[string]any{"game_name": "Andromeda", "turn": 7, "race_name": "Vogons", "next_turn_at": "soon"},
			Attachments: []mail.Attachment{{Filename: "turn7.txt", ContentType: "text/plain", Content: "the report"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		d := waitStatus(t, e.svc, res.DeliveryID, mail.StatusSent, 15*time.Second)
		if strings.Join(d.To, ",") != strings.Join(to, ",") {
			t.Errorf("stored recipients %v", d.To)
		}
		msgs := e.sink.Messages()
		if len(msgs) != 1 {
			t.Fatalf("sink got %d messages", len(msgs))
		}
		m := msgs[0]
		if strings.Join(m.To, ",") != strings.Join(to, ",") {
			t.Errorf("envelope recipients %v", m.To)
		}
		if got := m.Header.Get("In-Reply-To"); got != "<orders-17@example.com>" {
			t.Errorf("In-Reply-To %q", got)
		}
		if raw := string(m.Raw); !strings.Contains(raw, `filename="turn7.txt"`) {
			t.Errorf("attachment missing:\n%s", raw)
		}
	})

	t.Run("a job for a delivery already sent sends nothing", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil, true)
		res, err := e.svc.Enqueue(ctx, loginCode("once@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, e.svc, res.DeliveryID, mail.StatusSent, 15*time.Second)
		// What a rescued job does after a crash between the recorded
		// success and the job's completion.
		job, err := e.jobs.River().Insert(ctx, mail.SendArgs{DeliveryID: res.DeliveryID}, &river.InsertOpts{Queue: mail.Queue})
		if err != nil {
			t.Fatal(err)
		}
		waitJobFinal(t, e, job.Job.ID)
		d := waitStatus(t, e.svc, res.DeliveryID, mail.StatusSent, time.Second)
		if e.sink.DataCommands() != 1 || d.AttemptCount != 1 || len(d.Attempts) != 1 {
			t.Fatalf("sent %d times, %d attempts", e.sink.DataCommands(), d.AttemptCount)
		}
	})

	t.Run("a job for a missing delivery is cancelled", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil, true)
		job, err := e.jobs.River().Insert(ctx, mail.SendArgs{DeliveryID: "dlv_missing"}, &river.InsertOpts{Queue: mail.Queue})
		if err != nil {
			t.Fatal(err)
		}
		if state := waitJobFinal(t, e, job.Job.ID); state != "cancelled" {
			t.Fatalf("job %s", state)
		}
		if e.sink.DataCommands() != 0 {
			t.Fatal("sent something")
		}
	})

	t.Run("a burst sends each delivery once, over kept connections", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, func(c *config.Mail) { c.Concurrency = 5 }, true)
		var ids []string
		for i := range 60 {
			res, err := e.svc.Enqueue(ctx, loginCode(fmt.Sprintf("p%02d@example.com", i)))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, res.DeliveryID)
		}
		for _, id := range ids {
			d := waitStatus(t, e.svc, id, mail.StatusSent, 30*time.Second)
			if d.AttemptCount != 1 || len(d.Attempts) != 1 {
				t.Fatalf("%s: %d attempts", id, d.AttemptCount)
			}
		}
		if n := e.sink.DataCommands(); n != len(ids) {
			t.Fatalf("%d messages for %d deliveries", n, len(ids))
		}
		// One connection per worker at most, and no more: the five kept
		// connections carried all sixty messages.
		if n := e.sink.Sessions(); n > 5 {
			t.Fatalf("%d connections for 5 workers", n)
		}
	})

	t.Run("a connection the relay closed is replaced without a failed attempt", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil, true)
		send := func(to string) *mail.Detail {
			t.Helper()
			res, err := e.svc.Enqueue(ctx, loginCode(to))
			if err != nil {
				t.Fatal(err)
			}
			return waitStatus(t, e.svc, res.DeliveryID, mail.StatusSent, 15*time.Second)
		}
		send("first@example.com")
		send("second@example.com")
		if n := e.sink.Sessions(); n != 1 {
			t.Fatalf("%d connections for two mails in a row", n)
		}
		e.sink.DropConnections()
		time.Sleep(50 * time.Millisecond)
		d := send("third@example.com")
		if d.AttemptCount != 1 || len(d.Attempts) != 1 || d.Attempts[0].Outcome != "sent" {
			t.Fatalf("attempts %+v", d.Attempts)
		}
		if n := e.sink.Sessions(); n != 2 {
			t.Fatalf("%d connections, want 2", n)
		}
	})

	t.Run("messages per connection bound how long a connection is kept", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, func(c *config.Mail) { c.SMTPMessagesPerConn = 2 }, true)
		for i := range 5 {
			res, err := e.svc.Enqueue(ctx, loginCode(fmt.Sprintf("m%d@example.com", i)))
			if err != nil {
				t.Fatal(err)
			}
			waitStatus(t, e.svc, res.DeliveryID, mail.StatusSent, 15*time.Second)
		}
		if n := e.sink.Sessions(); n != 3 {
			t.Fatalf("%d connections for 5 mails at 2 per connection, want 3", n)
		}
	})
}

// waitJobFinal waits until a River job is completed, cancelled or discarded
// and returns that state.
func waitJobFinal(t *testing.T, e *env, id int64) string {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var state string
		if err := e.pool.QueryRow(context.Background(), "SELECT state FROM river_job WHERE id = $1", id).Scan(&state); err != nil {
			t.Fatal(err)
		}
		switch state {
		case "completed", "cancelled", "discarded":
			return state
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d still %s", id, state)
		}
	}
}
