package outbox_test

import (
	"context"
	"encoding/json"
	"log"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
)

// envelope is the event envelope as a consumer outside this module declares
// it (internal/outbox cannot be imported from another module).
type envelope struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	AggregateType string          `json:"aggregate_type"`
	AggregateID   string          `json:"aggregate_id"`
	OccurredAt    time.Time       `json:"occurred_at"`
	Data          json.RawMessage `json:"data"`
}

type gameFinished struct {
	GameID        string   `json:"game_id"`
	FinalTurn     int      `json:"final_turn"`
	Outcome       string   `json:"outcome"`
	WinnerUserIDs []string `json:"winner_user_ids"`
}

// A consumer of game events in another service: a durable JetStream pull
// consumer that continues the backend's trace and skips events it has
// already handled. docs/events.md shows the same code.
func Example_consumer() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	nc, err := nats.Connect("nats://127.0.0.1:4222")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = nc.Drain() }()
	js, err := jetstream.New(nc)
	if err != nil {
		log.Fatal(err)
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, "GALAXY_EVENTS", jetstream.ConsumerConfig{
		Durable:        "leaderboard-games",
		FilterSubjects: []string{"galaxy.events.game.>"},
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        30 * time.Second,
	})
	if err != nil {
		log.Fatal(err)
	}

	// Deduplicate on the event id. A real consumer records handled ids in
	// the same transaction as its effect (a processed_events table with the
	// id as primary key) and keeps them longer than any redelivery.
	var mu sync.Mutex
	handled := map[string]bool{}

	cc, err := cons.Consume(func(msg jetstream.Msg) {
		var env envelope
		if err := json.Unmarshal(msg.Data(), &env); err != nil {
			_ = msg.Term() // not an event: never redeliver
			return
		}
		mu.Lock()
		seen := handled[env.ID]
		mu.Unlock()
		if seen {
			_ = msg.Ack() // a duplicate: already handled
			return
		}
		// Continue the trace of the transaction that recorded the event
		// (headers "traceparent" and "tracestate", lower case).
		carrier := propagation.MapCarrier{}
		for k := range msg.Headers() {
			carrier[k] = msg.Headers().Get(k)
		}
		msgCtx := otel.GetTextMapPropagator().Extract(ctx, carrier)

		switch env.Type {
		case "game.finished.v1":
			var ev gameFinished
			if err := json.Unmarshal(env.Data, &ev); err != nil {
				_ = msg.Term()
				return
			}
			recordResult(msgCtx, ev)
		default:
			// A type or version this consumer does not handle.
		}
		mu.Lock()
		handled[env.ID] = true
		mu.Unlock()
		_ = msg.Ack()
	})
	if err != nil {
		log.Fatal(err)
	}
	defer cc.Stop()
	<-ctx.Done()
}

// recordResult stands for the consumer's own work.
func recordResult(ctx context.Context, ev gameFinished) {
	_ = ctx
	log.Printf("game %s finished at turn %d: %s", ev.GameID, ev.FinalTurn, ev.Outcome)
}
