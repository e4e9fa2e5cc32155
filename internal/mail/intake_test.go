package mail_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/mail"
)

// post sends body to the internal intake handler and decodes the answer.
func post(t *testing.T, h *mail.Handlers, body string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.CreateMailDeliveryInternal(rec, httptest.NewRequest(http.MethodPost, "/api/v1/internal/mail/deliveries", strings.NewReader(body)))
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%d: %s", rec.Code, rec.Body)
	}
	return rec.Code, out
}

func errorOf(body map[string]any) (string, map[string]any) {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	details, _ := e["details"].(map[string]any)
	return code, details
}

func TestInternalIntake(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, false)
	h := &mail.Handlers{Service: e.svc, Logger: quiet}
	const first = `{"idempotency_key":"k1","template":"auth.login_code","to":["ann@example.com"],"locale":"en","data":{"code":"111111","expires_in_minutes":10}}`

	t.Run("accepts and returns the first delivery for a repeated key", func(t *testing.T) {
		code, a := post(t, h, first)
		if code != http.StatusAccepted || a["status"] != "queued" || a["duplicate"] != false {
			t.Fatalf("%d %v", code, a)
		}
		code, b := post(t, h, first)
		if code != http.StatusAccepted || b["delivery_id"] != a["delivery_id"] || b["duplicate"] != true {
			t.Fatalf("repeat: %d %v", code, b)
		}
	})
	t.Run("a reused key with a different body is a conflict", func(t *testing.T) {
		changed := strings.Replace(first, "111111", "222222", 1)
		code, b := post(t, h, changed)
		if c, _ := errorOf(b); code != http.StatusConflict || c != "conflict" {
			t.Fatalf("%d %v", code, b)
		}
	})
	t.Run("concurrent requests with one key make one delivery", func(t *testing.T) {
		body := strings.Replace(first, `"k1"`, `"k-race"`, 1)
		ids := make(chan string, 8)
		for range 8 {
			go func() {
				_, out := post(t, h, body)
				id, _ := out["delivery_id"].(string)
				ids <- id
			}()
		}
		seen := map[string]bool{}
		for range 8 {
			seen[<-ids] = true
		}
		if len(seen) != 1 || seen[""] {
			t.Fatalf("want one delivery id, got %v", seen)
		}
	})

	bad := []struct {
		name, body, field string
	}{
		{"unknown template", `{"idempotency_key":"b1","template":"nope","to":["a@example.com"]}`, "known_templates"},
		{"missing template data", `{"idempotency_key":"b2","template":"auth.login_code","to":["a@example.com"],"data":{"code":"1"}}`, "template"},
		{"invalid address", `{"idempotency_key":"b3","template":"auth.login_code","to":["not an address"],"data":{"code":"1","expires_in_minutes":1}}`, "invalid_addresses"},
		{"no recipients", `{"idempotency_key":"b4","template":"auth.login_code","to":[]}`, "problems"},
		{"missing idempotency key", `{"template":"auth.login_code","to":["a@example.com"]}`, "field"},
		{"unknown field", `{"idempotency_key":"b5","template":"auth.login_code","to":["a@example.com"],"cc":["x@example.com"]}`, "field"},
		{"malformed JSON", `{"idempotency_key":`, ""},
	}
	for _, c := range bad {
		t.Run("refuses "+c.name+" with details", func(t *testing.T) {
			code, body := post(t, h, c.body)
			ec, details := errorOf(body)
			if code != http.StatusBadRequest || ec != "invalid_argument" {
				t.Fatalf("%d %v", code, body)
			}
			if c.field != "" && details[c.field] == nil {
				t.Fatalf("details lack %q: %v", c.field, details)
			}
		})
	}
	t.Run("refused requests leave nothing behind", func(t *testing.T) {
		var n int
		if err := e.pool.QueryRow(context.Background(), "SELECT count(*) FROM mail_deliveries").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 { // k1 and k-race
			t.Fatalf("%d deliveries", n)
		}
	})
}

func TestIdempotencyTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, func(c *config.Mail) { c.IdempotencyTTL = 50 * time.Millisecond }, false)
	req := loginCode("ttl@example.com")
	req.IdempotencyKey = "ttl-key"
	a, err := e.svc.Enqueue(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	req.Data = map[string]any{"code": "999999", "expires_in_minutes": 10}
	b, err := e.svc.Enqueue(ctx, req)
	if err != nil {
		t.Fatalf("an expired key must be reusable: %v", err)
	}
	if b.Duplicate || b.DeliveryID == a.DeliveryID {
		t.Fatalf("want a new delivery, got %+v", b)
	}
}

func TestAcceptCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil, false)
	malformed := func() int {
		var n int
		if err := e.pool.QueryRow(ctx, "SELECT count(*) FROM mail_malformed_commands").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("a good command becomes a delivery", func(t *testing.T) {
		res, err := e.svc.AcceptCommand(ctx, "test", []byte(`{"idempotency_key":"c1","template":"auth.login_code","to":["a@example.com"],"data":{"code":"1","expires_in_minutes":1}}`))
		if err != nil || res.DeliveryID == "" {
			t.Fatalf("%+v %v", res, err)
		}
		d, err := e.svc.Get(ctx, res.DeliveryID)
		if err != nil || d.Source != mail.SourceCommand {
			t.Fatalf("%+v %v", d, err)
		}
	})
	for _, raw := range []string{
		`not json at all`,
		`{"template":"auth.login_code","to":["a@example.com"]}`,
		`{"idempotency_key":"c2","template":"nope","to":["a@example.com"]}`,
		"{\"idempotency_key\":\"c3\",\"template\":\"auth.login_code\",\"to\":[\"bad\"],\"junk\":\"\xff\"}",
	} {
		t.Run("records a malformed command instead of failing", func(t *testing.T) {
			before := malformed()
			res, err := e.svc.AcceptCommand(ctx, "test", []byte(raw))
			if err != nil || res.DeliveryID != "" {
				t.Fatalf("%+v %v", res, err)
			}
			if malformed() != before+1 {
				t.Fatal("no malformed command row")
			}
		})
	}
	t.Run("a database failure is returned so the command is redelivered", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		before := malformed()
		_, err := e.svc.AcceptCommand(cctx, "test", []byte(`{"idempotency_key":"c9","template":"auth.login_code","to":["a@example.com"],"data":{"code":"1","expires_in_minutes":1}}`))
		if err == nil || malformed() != before {
			t.Fatalf("err=%v, malformed rows %d → %d", err, before, malformed())
		}
		if errs.CodeOf(err) == errs.InvalidArgument {
			t.Fatalf("a transient failure must not look like a bad command: %v", err)
		}
	})
}
