package inbound_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/mail/smtptest"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

const (
	crashChildEnv = "GALAXY_INBOUND_CRASH_CHILD"
	crashDSNEnv   = "GALAXY_INBOUND_CRASH_DSN"
	crashAddrEnv  = "GALAXY_INBOUND_CRASH_ADDR"
	crashMails    = 30
)

// runCrashChild is the backend of TestKilledAfterAcceptingProcessesOnce: it
// runs the SMTP listener only — its job client never starts — so every
// mail it accepts is stored and queued, and none is processed, until it is
// killed.
func runCrashChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	pool, err := poolFor(ctx, os.Getenv(crashDSNEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer pool.Close()
	e, err := build(pool, "127.0.0.1:1", os.Getenv(crashAddrEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := e.listener.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	<-ctx.Done()
	return 0
}

// TestKilledAfterAcceptingProcessesOnce: a backend killed (SIGKILL) after
// answering 250 and before processing loses nothing: after the restart
// every accepted mail is processed, and answered, exactly once.
func TestKilledAfterAcceptingProcessesOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	pool, err := poolFor(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	addPlayer(t, pool)
	sink, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()

	addr := freeAddr(t)
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), crashChildEnv+"=1", crashDSNEnv+"="+dsn, crashAddrEnv+"="+addr)
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	var sendErr error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if sendErr = sendMail(addr, messageID(0)); sendErr == nil {
			break
		}
	}
	if sendErr != nil {
		t.Fatalf("the child never accepted mail: %v", sendErr)
	}
	for i := 1; i < crashMails; i++ {
		if err := sendMail(addr, messageID(i)); err != nil {
			t.Fatalf("mail %d: %v", i, err)
		}
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	var received int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM inbound_mails WHERE status = 'received'`).Scan(&received); err != nil || received != crashMails {
		t.Fatalf("%d mails stored unprocessed at the kill (%v), want %d", received, err, crashMails)
	}

	// The restarted backend finds the queued work.
	e, err := build(pool, sink.Addr(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = e.jobs.Stop(stopCtx)
	}()
	waitProcessed(t, pool, crashMails, 30*time.Second)
	for deadline := time.Now().Add(20 * time.Second); sink.Count() < crashMails && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would arrive now
	replies := map[string]int{}
	for _, m := range sink.Messages() {
		replies[strings.Trim(m.Header.Get("In-Reply-To"), "<>")]++
	}
	for i := range crashMails {
		if n := replies[messageID(i)]; n != 1 {
			t.Errorf("mail %d: %d replies, want exactly 1", i, n)
		}
	}
}
