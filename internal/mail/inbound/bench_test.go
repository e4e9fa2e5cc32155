package inbound_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/mail/inbound"
	"github.com/galaxy-platform/galaxy/internal/mail/smtptest"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// BenchmarkInboundEndToEnd measures inbound mails processed per second end
// to end: stored through the webhook's path (Receive), parsed, authenticated
// against the database, and answered (a reply delivered to an SMTP sink).
// Goal: 300/s on the 2-core development machine.
func BenchmarkInboundEndToEnd(b *testing.B) {
	ctx := context.Background()
	pool, err := poolFor(ctx, pgtest.DSN(b))
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	addPlayer(b, pool)
	sink, err := smtptest.Start()
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	e, err := build(pool, sink.Addr(), "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	if err := e.jobs.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = e.jobs.Stop(stopCtx)
	}()
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				raw := fmt.Sprintf("From: %s\r\nTo: orders@galaxy.test\r\nSubject: o\r\nMessage-ID: <bench-%d-%d@x>\r\n\r\n"+
					"#GALAXY nosuchgame Orcs secret\r\n; hello\r\n#END\r\n", player, start.UnixNano(), i)
				if _, err := e.svc.Receive(ctx, inbound.SourceWebhook, "", []byte(raw)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	waitProcessed(b, pool, b.N, 10*time.Minute)
	for sink.Count() < b.N {
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "mails/s")
}

// BenchmarkSMTPSessions measures whole SMTP sessions per second on the
// listener (connect, MAIL, RCPT, DATA committed, QUIT), from 8 clients.
func BenchmarkSMTPSessions(b *testing.B) {
	ctx := context.Background()
	pool, err := poolFor(ctx, pgtest.DSN(b))
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	e, err := build(pool, "127.0.0.1:1", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	if err := e.listener.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = e.listener.Stop(ctx) }()
	addr := e.listener.Addr().String()
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				if err := sendMail(addr, fmt.Sprintf("session-%d-%d@x", start.UnixNano(), i)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "sessions/s")
}
