package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/mail/smtptest"
)

func TestDelivery(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("sends once with the right headers and bodies", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil, true)
		res, err := e.svc.Enqueue(ctx, mail.Request{
			Template: "game.turn.ready", To: []string{"ann@example.com"}, Locale: "en",
			Data: map[string]any{"game_name": "Andromeda", "turn": 7, "race_name": "Vogons", "next_turn_at": "2026-11-23 18:00 UTC"},
		})
		if err != nil {
			t.Fatal(err)
		}
		d := waitStatus(t, e.svc, res.DeliveryID, mail.StatusSent, 15*time.Second)
		if d.AttemptCount != 1 || len(d.Attempts) != 1 || d.Attempts[0].Outcome != "sent" || d.SentAt == nil {
			t.Fatalf("attempts %+v", d.Attempts)
		}
		msgs := e.sink.Messages()
		if len(msgs) != 1 {
			t.Fatalf("sink got %d messages", len(msgs))
		}
		m := msgs[0]
		if m.From != "galaxy@example.com" || len(m.To) != 1 || m.To[0] != "ann@example.com" {
			t.Fatalf("envelope %s → %v", m.From, m.To)
		}
		if got := m.Header.Get("Subject"); got != `"Andromeda": turn 7 report for the Vogons` {
			t.Errorf("subject %q", got)
		}
		if got := m.Header.Get("From"); !strings.Contains(got, "Galaxy") || !strings.Contains(got, "galaxy@example.com") {
			t.Errorf("from %q", got)
		}
		if got := m.Header.Get("Message-Id"); got != "<"+res.DeliveryID+"@galaxy>" {
			t.Errorf("message id %q", got)
		}
		if got := m.Header.Get("X-Galaxy-Delivery-Id"); got != res.DeliveryID {
			t.Errorf("delivery header %q", got)
		}
		raw := string(m.Raw)
		for _, want := range []string{"multipart/alternative", "text/plain", "text/html", "Turn 7 of", "<strong>7</strong>"} {
			if !strings.Contains(raw, want) {
				t.Errorf("message lacks %q", want)
			}
		}
	})

	t.Run("temporary failures are retried until sent", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil, true)
		e.sink.SetResponder(func(n int, _ []byte) *smtp.SMTPError {
			if n <= 2 {
				return smtptest.TempFail()
			}
			return nil
		})
		res, err := e.svc.Enqueue(ctx, loginCode("bob@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		d := waitStatus(t, e.svc, res.DeliveryID, mail.StatusSent, 30*time.Second)
		if d.AttemptCount != 3 || len(d.Attempts) != 3 {
			t.Fatalf("want exactly 3 attempts, got %d (%d rows)", d.AttemptCount, len(d.Attempts))
		}
		for i, want := range []string{"temporary_failure", "temporary_failure", "sent"} {
			if d.Attempts[i].Outcome != want {
				t.Errorf("attempt %d: %s, want %s", i+1, d.Attempts[i].Outcome, want)
			}
		}
		if c := d.Attempts[0].SmtpCode; c == nil || *c != 451 {
			t.Errorf("first attempt code %v, want 451", c)
		}
		if e.sink.Count() != 1 || e.sink.DataCommands() != 3 {
			t.Fatalf("sink: %d accepted of %d tries", e.sink.Count(), e.sink.DataCommands())
		}
	})

	t.Run("a permanent failure is dead-lettered after one attempt", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil, true)
		e.sink.SetResponder(func(int, []byte) *smtp.SMTPError { return smtptest.PermFail() })
		res, err := e.svc.Enqueue(ctx, loginCode("nobody@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		d := waitStatus(t, e.svc, res.DeliveryID, mail.StatusFailed, 15*time.Second)
		if d.AttemptCount != 1 || d.DeadLetter == nil || d.DeadLetter.SmtpCode == nil || *d.DeadLetter.SmtpCode != 550 {
			t.Fatalf("attempts %d, dead letter %+v", d.AttemptCount, d.DeadLetter)
		}
		time.Sleep(300 * time.Millisecond)
		if e.sink.DataCommands() != 1 {
			t.Fatalf("tried %d times", e.sink.DataCommands())
		}
	})

	t.Run("exhausting the attempt budget fails and dead-letters", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, func(c *config.Mail) { c.MaxAttempts = 2 }, true)
		e.sink.SetResponder(func(int, []byte) *smtp.SMTPError { return smtptest.TempFail() })
		res, err := e.svc.Enqueue(ctx, loginCode("carol@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		d := waitStatus(t, e.svc, res.DeliveryID, mail.StatusFailed, 30*time.Second)
		if d.AttemptCount != 2 || d.DeadLetter == nil || !strings.Contains(d.DeadLetter.Reason, "gave up after 2 attempts") {
			t.Fatalf("attempts %d, dead letter %+v", d.AttemptCount, d.DeadLetter)
		}
	})

	t.Run("an unreachable server is a temporary failure", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, func(c *config.Mail) { c.MaxAttempts = 1; c.SMTPAddr = "127.0.0.1:1" }, true)
		res, err := e.svc.Enqueue(ctx, loginCode("dave@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		d := waitStatus(t, e.svc, res.DeliveryID, mail.StatusFailed, 15*time.Second)
		if d.Attempts[0].Outcome != "temporary_failure" || d.Attempts[0].SmtpCode != nil {
			t.Fatalf("attempt %+v", d.Attempts[0])
		}
	})
}

func TestStubMode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, func(c *config.Mail) { c.SMTPMode = config.SMTPModeStub }, true)

	t.Run("suppresses auth mail and keeps it readable", func(t *testing.T) {
		res, err := e.svc.Enqueue(ctx, loginCode("eve@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != mail.StatusSuppressed {
			t.Fatalf("status %s", res.Status)
		}
		d, err := e.svc.Get(ctx, res.DeliveryID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Text, "123456") || !strings.Contains(d.HTML, "123456") || d.Subject == "" {
			t.Fatalf("rendered content not kept: %+v", d)
		}
	})
	t.Run("records other mail as sent without an SMTP server", func(t *testing.T) {
		res, err := e.svc.Enqueue(ctx, mail.Request{Template: "lobby.application.approved", To: []string{"eve@example.com"},
			Data: map[string]any{"game_name": "Andromeda", "race_name": "Vogons"}})
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, e.svc, res.DeliveryID, mail.StatusSent, 15*time.Second)
		if e.sink.DataCommands() != 0 {
			t.Fatal("stub mode talked to the SMTP server")
		}
	})
}
