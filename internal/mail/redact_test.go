package mail_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/mail"
)

// TestOperatorsNeverReadSignInCodes: a sign-in code in an operator's hands
// is a sign-in as that player, so every admin read of a delivery (list, get,
// the answer to a resend) shows it masked, in the data and wherever the
// rendered mail or an SMTP error repeats it. The internal API, which the
// stub mailbox of `galaxy dev` reads, still shows it.
func TestOperatorsNeverReadSignInCodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil, false)
	h := &mail.Handlers{Service: e.svc, Logger: quiet}
	const code = "123456"
	res, err := e.svc.Enqueue(ctx, loginCode("eve@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	id := res.DeliveryID
	// A server that quotes the subject back in its refusal.
	if _, err := e.pool.Exec(ctx, `UPDATE mail_deliveries SET last_error = $2 WHERE delivery_id = $1`,
		id, "550 refused: Your Galaxy sign-in code: "+code); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO mail_attempts (delivery_id, attempt_no, started_at, duration_ms, outcome, smtp_code, error)
		VALUES ($1, 1, now(), 1, 'permanent_failure', 550, $2)`, id, "550 refused: code "+code); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `INSERT INTO mail_dead_letters (delivery_id, attempts, smtp_code, reason) VALUES ($1, 1, 550, $2)`,
		id, "refused: "+code); err != nil {
		t.Fatal(err)
	}

	serve := func(f func(w http.ResponseWriter, r *http.Request), method string) (int, string) {
		rec := httptest.NewRecorder()
		f(rec, httptest.NewRequest(method, "/", nil))
		return rec.Code, rec.Body.String()
	}
	getAdmin := func(w http.ResponseWriter, r *http.Request) { h.GetMailDeliveryAdmin(w, r, id) }
	listAdmin := func(w http.ResponseWriter, r *http.Request) {
		h.ListMailDeliveriesAdmin(w, r, apigen.ListMailDeliveriesAdminParams{})
	}
	resendAdmin := func(w http.ResponseWriter, r *http.Request) { h.ResendMailDeliveryAdmin(w, r, id) }

	for _, c := range []struct {
		name   string
		f      func(w http.ResponseWriter, r *http.Request)
		method string
		want   int
	}{
		{"get", getAdmin, http.MethodGet, http.StatusOK},
		{"list", listAdmin, http.MethodGet, http.StatusOK},
		{"resend", resendAdmin, http.MethodPost, http.StatusCreated},
	} {
		t.Run("the admin "+c.name+" masks the code", func(t *testing.T) {
			status, body := serve(c.f, c.method)
			if status != c.want || strings.Contains(body, code) {
				t.Fatalf("%d %s", status, body)
			}
		})
	}

	t.Run("what is masked is the code alone", func(t *testing.T) {
		_, body := serve(getAdmin, http.MethodGet)
		var d apigen.MailDelivery
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		if d.Data["code"] != mail.Masked || d.Data["expires_in_minutes"] != float64(10) ||
			!strings.Contains(d.Subject, mail.Masked) || !strings.Contains(d.Text, mail.Masked) ||
			!strings.Contains(d.Html, mail.Masked) || !strings.Contains(d.Text, "within 10 minutes") ||
			d.To[0] != "eve@example.com" || d.DeadLetter == nil || !strings.Contains(d.DeadLetter.Reason, mail.Masked) {
			t.Fatalf("%+v", d)
		}
	})

	t.Run("the internal API shows the code", func(t *testing.T) {
		_, body := serve(func(w http.ResponseWriter, r *http.Request) { h.GetMailDeliveryInternal(w, r, id) }, http.MethodGet)
		var d apigen.MailDelivery
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		if d.Data["code"] != code || !strings.Contains(d.Subject, code) || !strings.Contains(d.Text, code) || !strings.Contains(d.Html, code) {
			t.Fatalf("%+v", d)
		}
		// And the service keeps the real code to send: the resend above
		// rendered it again.
		items, _, err := e.svc.List(ctx, mail.Filter{Limit: 10})
		if err != nil || len(items) != 2 {
			t.Fatalf("%d deliveries, %v", len(items), err)
		}
		again, err := e.svc.Get(ctx, items[0].DeliveryID)
		if err != nil || again.Data["code"] != code || !strings.Contains(again.Text, code) {
			t.Fatalf("the resent delivery: %+v %v", again, err)
		}
	})

	t.Run("a mail without secrets reads the same either way", func(t *testing.T) {
		other, err := e.svc.Enqueue(ctx, mail.Request{Template: "lobby.application.approved", To: []string{"eve@example.com"},
			Data: map[string]any{"game_name": "G 123456", "race_name": "R"}})
		if err != nil {
			t.Fatal(err)
		}
		_, admin := serve(func(w http.ResponseWriter, r *http.Request) { h.GetMailDeliveryAdmin(w, r, other.DeliveryID) }, http.MethodGet)
		_, internal := serve(func(w http.ResponseWriter, r *http.Request) { h.GetMailDeliveryInternal(w, r, other.DeliveryID) }, http.MethodGet)
		if admin != internal || !strings.Contains(admin, "G 123456") {
			t.Fatalf("admin %s\ninternal %s", admin, internal)
		}
	})
}
