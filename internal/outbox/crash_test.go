package outbox_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/outbox/natstest"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// The child process of TestRelayKilledMidBatchLosesNothing: a relay on the
// database and NATS server these variables name.
const (
	crashChildDSN  = "OUTBOX_CRASH_CHILD_DSN"
	crashChildNATS = "OUTBOX_CRASH_CHILD_NATS"
)

// crashConfig is the relay configuration of both relays of the crash test.
func crashConfig(url string) outbox.Config {
	cfg := testConfig(url)
	cfg.BatchSize = 50
	return cfg
}

func TestRelayKilledMidBatchLosesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	pool := pgtest.PoolFor(t, dsn)
	newBusinessTable(t, pool)
	srv := natstest.Start(t)
	tp := newTap(t, srv)
	const events = 1000
	for i := range events {
		createGame(ctx, t, pool, gameID(i), false)
	}
	// Recording a batch takes a while, so the kill lands between the
	// JetStream acks of a batch and the commit that records them.
	if _, err := pool.Exec(ctx, `
CREATE FUNCTION slow_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_sleep(0.2);
    RETURN NULL;
END $$;
CREATE TRIGGER slow_mark AFTER UPDATE ON outbox_events FOR EACH STATEMENT EXECUTE FUNCTION slow_mark();`); err != nil {
		t.Fatal(err)
	}

	child := exec.Command(os.Args[0], "-test.run=^TestRelayCrashChild$", "-test.count=1")
	child.Env = append(os.Environ(), crashChildDSN+"="+dsn, crashChildNATS+"="+srv.URL())
	// The child exits when this pipe closes, should this process die first.
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stdin.Close() }()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			_ = child.Process.Kill()
			_ = child.Wait()
		}
	}()

	// Kill it while it holds published batches it has not recorded.
	deadline := time.Now().Add(30 * time.Second)
	for len(tp.publishes()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the child relay published nothing within 30s")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	if err := child.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = child.Wait()
	killed = true

	marked := map[string]bool{}
	rows, err := pool.Query(ctx, "SELECT id::text FROM outbox_events WHERE status = 'published'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		marked[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the last core messages reach the tap
	unrecorded := 0
	for id := range tp.publishes() {
		if !marked[id] {
			unrecorded++
		}
	}
	t.Logf("killed after publishing %d events, %d of them not recorded", len(tp.publishes()), unrecorded)
	if unrecorded == 0 {
		t.Log("the kill fell between batches; the check below still holds but tests less")
	}

	// A relay that dies leaves no lease behind: its rows are claimable as
	// soon as its connection is gone.
	if _, err := pool.Exec(ctx, "DROP TRIGGER slow_mark ON outbox_events"); err != nil {
		t.Fatal(err)
	}
	startRelay(t, pool, crashConfig(srv.URL()), outbox.RelayOptions{})
	waitDrained(t, pool, 20*time.Second)

	stored := storedIDs(t, srv.JetStream(t))
	if len(stored) != events {
		t.Errorf("stream holds %d distinct events, want %d", len(stored), events)
	}
	for id, n := range stored {
		if n != 1 {
			t.Errorf("event %s stored %d times", id, n)
		}
	}
	published := tp.publishes()
	if len(published) != events {
		t.Errorf("%d distinct events published, want %d", len(published), events)
	}
	repeats := 0
	for _, n := range published {
		repeats += n - 1
	}
	t.Logf("%d publishes repeated after the kill, all dropped by JetStream", repeats)
}

// TestRelayCrashChild is the relay process TestRelayKilledMidBatchLosesNothing
// kills; on its own it skips.
func TestRelayCrashChild(t *testing.T) {
	dsn, url := os.Getenv(crashChildDSN), os.Getenv(crashChildNATS)
	if dsn == "" || url == "" {
		t.Skip("the child process of TestRelayKilledMidBatchLosesNothing")
	}
	pool := pgtest.PoolFor(t, dsn)
	r, err := outbox.NewRelay(pool, crashConfig(url), outbox.RelayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Run until killed, or until the parent is gone.
	_, _ = io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}
