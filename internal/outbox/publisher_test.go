package outbox_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestPublisher(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	pub := outbox.NewPublisher()

	t.Run("records the event with its payload, aggregate and trace carrier", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		id, err := pub.PublishTxID(ctx, tx, outbox.NewEvent(outbox.UserBlocked{UserID: "u_1", Reason: "spam", BlockedBy: "a_1"}))
		if err != nil {
			t.Fatal(err)
		}
		var typ, aggType, aggID, status string
		var payload json.RawMessage
		var carrier map[string]string
		if err := tx.QueryRow(ctx, `SELECT type, aggregate_type, aggregate_id, status, payload, trace_carrier
			FROM outbox_events WHERE id = $1`, id).Scan(&typ, &aggType, &aggID, &status, &payload, &carrier); err != nil {
			t.Fatal(err)
		}
		if typ != outbox.TypeUserBlocked || aggType != "user" || aggID != "u_1" || status != "pending" || carrier == nil {
			t.Fatalf("row %s %s %s %s %v", typ, aggType, aggID, status, carrier)
		}
		var got outbox.UserBlocked
		if err := json.Unmarshal(payload, &got); err != nil || got.Reason != "spam" {
			t.Fatalf("payload %s (%v)", payload, err)
		}
	})

	t.Run("keeps an id given by the caller", func(t *testing.T) {
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		want := outbox.NewID()
		ev := outbox.NewEvent(outbox.GameStarted{GameID: "g_1", Players: 3})
		ev.ID = want
		if got, err := pub.PublishTxID(ctx, tx, ev); err != nil || got != want {
			t.Fatalf("id %q (%v), want %q", got, err, want)
		}
	})

	for name, ev := range map[string]outbox.Event{
		"refuses a type that is not a subject token":  {Type: "Game Started", AggregateType: "game", AggregateID: "g", Payload: struct{}{}},
		"refuses a wildcard in the type":              {Type: "game.>", AggregateType: "game", AggregateID: "g", Payload: struct{}{}},
		"refuses an event without aggregate id":       {Type: "game.started.v1", AggregateType: "game", Payload: struct{}{}},
		"refuses a payload that is not a JSON object": {Type: "game.started.v1", AggregateType: "game", AggregateID: "g", Payload: 42},
		"refuses a nil payload":                       {Type: "game.started.v1", AggregateType: "game", AggregateID: "g"},
		"refuses a payload that does not marshal":     {Type: "game.started.v1", AggregateType: "game", AggregateID: "g", Payload: map[string]any{"f": func() {}}},
		"refuses an event without an aggregate type":  {Type: "game.started.v1", AggregateID: "g", Payload: struct{}{}},
	} {
		t.Run(name, func(t *testing.T) {
			tx, err := pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = tx.Rollback(ctx) }()
			if err := pub.PublishTx(ctx, tx, ev); err == nil || !strings.HasPrefix(err.Error(), "outbox: ") {
				t.Fatalf("err = %v", err)
			}
		})
	}

	t.Run("every catalogued payload names its type and aggregate", func(t *testing.T) {
		payloads := []outbox.Payload{
			outbox.UserRegistered{UserID: "u"}, outbox.UserBlocked{UserID: "u"}, outbox.UserUnblocked{UserID: "u"},
			outbox.GameCreated{GameID: "g"}, outbox.GameStatusChanged{GameID: "g"}, outbox.GameStarted{GameID: "g"},
			outbox.GameTurnCompleted{GameID: "g"}, outbox.GameFinished{GameID: "g"},
			outbox.MembershipChanged{GameID: "g", UserID: "u"}, outbox.RaceNameRegistered{CanonicalKey: "k"},
			outbox.GameAbsenceSet{GameID: "g", UserID: "u"}, outbox.GameRaceIdle{GameID: "g", UserID: "u"},
			outbox.GameRaceHandedOver{GameID: "g"},
		}
		seen := map[string]bool{}
		for _, p := range payloads {
			ev := outbox.NewEvent(p)
			if ev.AggregateID == "" || ev.AggregateType == "" || !strings.HasSuffix(ev.Type, ".v1") {
				t.Errorf("%T: %+v", p, ev)
			}
			seen[ev.Type] = true
		}
		for _, typ := range outbox.Types {
			if !seen[typ] {
				t.Errorf("type %s has no payload", typ)
			}
		}
	})
}
