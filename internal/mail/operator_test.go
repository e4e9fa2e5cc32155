package mail_test

import (
	"context"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/mail"
)

func TestResend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil, true)
	orig, err := e.svc.Enqueue(ctx, loginCode("frank@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, e.svc, orig.DeliveryID, mail.StatusSent, 15*time.Second)

	again, err := e.svc.Resend(ctx, orig.DeliveryID)
	if err != nil {
		t.Fatal(err)
	}
	if again.DeliveryID == orig.DeliveryID || again.ResentFrom == nil || *again.ResentFrom != orig.DeliveryID ||
		again.Source != mail.SourceResend {
		t.Fatalf("not a linked new delivery: %+v", again.Summary)
	}
	waitStatus(t, e.svc, again.DeliveryID, mail.StatusSent, 15*time.Second)
	if e.sink.Count() != 2 {
		t.Fatalf("sink has %d messages, want 2", e.sink.Count())
	}
	if _, err := e.svc.Resend(ctx, "dlv_missing"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("want not_found, got %v", err)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil, false)
	for _, to := range []string{"a@example.com", "b@example.com", "A@example.com"} {
		if _, err := e.svc.Enqueue(ctx, loginCode(to)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Enqueue(ctx, mail.Request{Template: "lobby.application.approved", To: []string{"a@example.com"},
		Data: map[string]any{"game_name": "G", "race_name": "R"}}); err != nil {
		t.Fatal(err)
	}

	t.Run("filters by recipient case-insensitively and by template", func(t *testing.T) {
		items, _, err := e.svc.List(ctx, mail.Filter{Recipient: "a@EXAMPLE.com", Template: "auth.login_code", Limit: 50})
		if err != nil || len(items) != 2 {
			t.Fatalf("%d items, %v", len(items), err)
		}
	})
	t.Run("pages newest first without gaps or repeats", func(t *testing.T) {
		seen := map[string]bool{}
		f := mail.Filter{Limit: 3}
		var last time.Time
		for page := 0; ; page++ {
			items, next, err := e.svc.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if seen[it.DeliveryID] {
					t.Fatalf("repeated %s", it.DeliveryID)
				}
				if !last.IsZero() && it.CreatedAt.After(last) {
					t.Fatal("not newest first")
				}
				seen[it.DeliveryID], last = true, it.CreatedAt
			}
			if next == nil {
				break
			}
			f.After = next
		}
		if len(seen) != 4 {
			t.Fatalf("saw %d deliveries, want 4", len(seen))
		}
	})
	t.Run("filters by status", func(t *testing.T) {
		items, _, err := e.svc.List(ctx, mail.Filter{Status: mail.StatusSent, Limit: 50})
		if err != nil || len(items) != 0 {
			t.Fatalf("%d items, %v", len(items), err)
		}
	})
}

func TestRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil, false)
	var ids []string
	for range 4 {
		res, err := e.svc.Enqueue(ctx, loginCode("old@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.DeliveryID)
	}
	// ids[0], ids[1]: finished and past retention; ids[2]: past retention but
	// still queued (never deleted); ids[3]: finished and recent.
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE mail_deliveries SET status = 'sent', created_at = now() - interval '25 hours' WHERE delivery_id = ANY($1)`, ids[:2])
	exec(`UPDATE mail_deliveries SET created_at = now() - interval '25 hours' WHERE delivery_id = $1`, ids[2])
	exec(`UPDATE mail_deliveries SET status = 'failed' WHERE delivery_id = $1`, ids[3])
	exec(`INSERT INTO mail_attempts (delivery_id, attempt_no, started_at, duration_ms, outcome) VALUES ($1, 1, now(), 1, 'sent')`, ids[0])
	exec(`INSERT INTO mail_dead_letters (delivery_id, attempts, reason) VALUES ($1, 1, 'x')`, ids[1])
	exec(`INSERT INTO mail_malformed_commands (source, raw, reason, received_at) VALUES ('t', 'old', 'x', now() - interval '25 hours'), ('t', 'new', 'x', now())`)

	n, err := e.svc.Cleanup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Deliveries != 2 || n.MalformedCommands != 1 {
		t.Fatalf("deleted %+v", n)
	}
	for i, id := range ids {
		_, err := e.svc.Get(ctx, id)
		gone := errs.Is(err, errs.NotFound)
		if gone != (i < 2) {
			t.Errorf("delivery %d: gone=%v (%v)", i, gone, err)
		}
	}
	for _, table := range []string{"mail_attempts", "mail_dead_letters", "mail_delivery_payloads", "mail_delivery_recipients"} {
		var orphans int
		if err := e.pool.QueryRow(ctx, "SELECT count(*) FROM "+table+" WHERE delivery_id = ANY($1)", ids[:2]).Scan(&orphans); err != nil || orphans != 0 {
			t.Errorf("%s keeps %d rows of deleted deliveries (%v)", table, orphans, err)
		}
	}
	var left string
	if err := e.pool.QueryRow(ctx, "SELECT raw FROM mail_malformed_commands").Scan(&left); err != nil || left != "new" {
		t.Fatalf("malformed commands left: %q %v", left, err)
	}
}
