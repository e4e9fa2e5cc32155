package mail_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// TestEnqueueManyTx takes a batch mixing every case intake meets: new
// deliveries with several recipients and attachments, an invalid request,
// a key repeated inside the batch, a key an earlier delivery holds with the
// same request and with a different one. Each request gets its own answer,
// the refused ones leave no row, and every accepted mail reaches the sink.
func TestEnqueueManyTx(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, true)
	db := &postgres.DB{Pool: e.pool, OperationTimeout: 10 * time.Second}
	ctx := context.Background()

	held := loginCode("held@example.com")
	held.IdempotencyKey = "held"
	first, err := e.svc.Enqueue(ctx, held)
	if err != nil {
		t.Fatal(err)
	}
	heldChanged := held
	heldChanged.Data = map[string]any{"code": "999999", "expires_in_minutes": 10}

	group := loginCode("ann@example.com")
	group.To = []string{"ann@example.com", "bob@example.com", "cy@example.com"}
	group.Attachments = []mail.Attachment{{Filename: "turn-7.txt", ContentType: "text/plain", Content: "report"}}
	twice := loginCode("twice@example.com")
	twice.IdempotencyKey = "twice"
	invalid := loginCode("not an address")

	reqs := []mail.Request{group, twice, invalid, twice, held, heldChanged}
	for i := range 20 {
		r := loginCode(fmt.Sprintf("p%d@example.com", i))
		r.IdempotencyKey = fmt.Sprintf("bulk-%d", i)
		reqs = append(reqs, r)
	}
	var out []mail.Outcome
	if err := db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		out, err = e.svc.EnqueueManyTx(ctx, tx, reqs)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(reqs) {
		t.Fatalf("%d outcomes for %d requests", len(out), len(reqs))
	}
	if out[0].Err != nil || out[0].Duplicate || out[0].Status != mail.StatusQueued {
		t.Errorf("group: %+v", out[0])
	}
	if out[1].Err != nil || out[1].Duplicate || out[3].Err != nil || !out[3].Duplicate || out[3].DeliveryID != out[1].DeliveryID {
		t.Errorf("a key repeated in the batch: %+v then %+v", out[1], out[3])
	}
	if errs.CodeOf(out[2].Err) != errs.InvalidArgument || out[2].DeliveryID != "" {
		t.Errorf("invalid address: %+v", out[2])
	}
	if out[4].Err != nil || !out[4].Duplicate || out[4].DeliveryID != first.DeliveryID {
		t.Errorf("a key held with the same request: %+v, want %s", out[4], first.DeliveryID)
	}
	if errs.CodeOf(out[5].Err) != errs.Conflict {
		t.Errorf("a key held with another request: %+v", out[5])
	}

	var rows int
	if err := e.pool.QueryRow(ctx, "SELECT count(*) FROM mail_deliveries").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if want := 1 + 2 + 20; rows != want { // held before, group and twice, the bulk
		t.Errorf("%d deliveries, want %d", rows, want)
	}
	d := waitStatus(t, e.svc, out[0].DeliveryID, mail.StatusSent, 20*time.Second)
	if fmt.Sprint(d.To) != "[ann@example.com bob@example.com cy@example.com]" || len(d.Attachments) != 1 {
		t.Errorf("group delivery: to %v, attachments %v", d.To, d.Attachments)
	}
	for _, o := range out[6:] {
		waitStatus(t, e.svc, o.DeliveryID, mail.StatusSent, 20*time.Second)
	}
}
