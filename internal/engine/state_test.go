package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

func TestStateDir(t *testing.T) {
	t.Parallel()

	t.Run("a new server over the same dir continues at the right turn", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		first, err := NewServer(Config{Addr: "127.0.0.1:0", Token: testToken, StateDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := first.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		c1, _ := NewClient("http://"+first.Addr(), testToken)
		mustInit(t, c1, "g1")
		mustTurn(t, c1, 1)
		t2 := mustTurn(t, c1, 2)
		if err := first.Stop(t.Context()); err != nil {
			t.Fatalf("Stop: %v", err)
		}

		_, c2 := startServer(t, dir)
		again, err := c2.Turn(t.Context(), TurnRequest{Turn: 2})
		if err != nil {
			t.Fatalf("Turn 2 after restart: %v", err)
		}
		if !bytes.Equal(again.Snapshot, t2.Snapshot) {
			t.Error("turn 2 after restart differs from the answer before")
		}
		_, err = c2.Init(t.Context(), newInit("g1"))
		wantCode(t, err, errs.Conflict)
		if _, err := c2.Init(t.Context(), InitRequest{GameID: "g1", Snapshot: t2.Snapshot}); err != nil {
			t.Errorf("re-attach with the current snapshot: %v", err)
		}
		mustTurn(t, c2, 3)
	})

	t.Run("an init retried after a restart is answered the same", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		first, err := NewServer(Config{Addr: "127.0.0.1:0", Token: testToken, StateDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := first.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		c1, _ := NewClient("http://"+first.Addr(), testToken)
		before := mustInit(t, c1, "g1")
		if err := first.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
		_, c2 := startServer(t, dir)
		after := mustInit(t, c2, "g1")
		if !bytes.Equal(before.Snapshot, after.Snapshot) {
			t.Error("retried init after restart answered another state")
		}
	})

	t.Run("stopping during turns always leaves a loadable state", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		for round := range 5 {
			srv, err := NewServer(Config{Addr: "127.0.0.1:0", Token: testToken, StateDir: dir})
			if err != nil {
				t.Fatalf("round %d: NewServer over the state left by the previous round: %v", round, err)
			}
			if err := srv.Start(t.Context()); err != nil {
				t.Fatal(err)
			}
			c, _ := NewClient("http://"+srv.Addr(), testToken)
			start := 0
			if round == 0 {
				mustInit(t, c, "g1")
			} else {
				start = loadedTurn(t, dir)
			}

			// Several callers race to run successive turns while checks
			// run beside them; each remembers the highest acknowledged turn.
			var acked atomic.Int64
			acked.Store(int64(start))
			var wg sync.WaitGroup
			for range 3 {
				wg.Go(func() {
					for {
						next := int(acked.Load()) + 1
						resp, err := c.Turn(context.Background(), TurnRequest{Turn: next, Orders: testOrders()})
						if err != nil {
							if errs.Is(err, errs.Conflict) {
								continue // another caller ran it first
							}
							return // the server is stopping
						}
						for {
							cur := acked.Load()
							if int64(resp.Turn) <= cur || acked.CompareAndSwap(cur, int64(resp.Turn)) {
								break
							}
						}
					}
				})
			}
			wg.Go(func() {
				for {
					if _, err := c.CheckOrders(context.Background(), "r1", "; x"); err != nil {
						return
					}
				}
			})
			// Stop once a turn or two went through, while the callers are
			// in the middle of the next one.
			deadline := time.Now().Add(20 * time.Second)
			for acked.Load() < int64(start+1+round%2) && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if err := srv.Stop(ctx); err != nil {
				t.Errorf("round %d: Stop: %v", round, err)
			}
			cancel()
			wg.Wait()

			got := loadedTurn(t, dir)
			t.Logf("round %d: turns %d..%d acknowledged, state at %d", round, start, acked.Load(), got)
			if int64(got) < acked.Load() {
				t.Fatalf("round %d: state holds turn %d, but turn %d was acknowledged", round, got, acked.Load())
			}
			if got > int(acked.Load())+1 {
				t.Fatalf("round %d: state holds turn %d, far past acknowledged %d", round, got, acked.Load())
			}
		}
	})

	t.Run("concurrent readers never see a partial state file", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		store := stateStore{dir: dir}
		payload := bytes.Repeat([]byte("snapshot"), 16<<10)
		if err := store.save(&stateFile{GameID: "g1", Snapshot: payload}); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				b, err := os.ReadFile(filepath.Join(dir, StateFileName))
				if err != nil {
					t.Errorf("read: %v", err)
					return
				}
				var st stateFile
				if err := json.Unmarshal(b, &st); err != nil {
					t.Errorf("partial state file seen: %v", err)
					return
				}
			}
		})
		for i := range 20 {
			if err := store.save(&stateFile{GameID: "g1", Turn: i, Snapshot: payload}); err != nil {
				t.Fatal(err)
			}
		}
		close(done)
		wg.Wait()
	})

	t.Run("leftover temp files are removed at load", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		leftover := filepath.Join(dir, tempPrefix+"123.tmp")
		if err := os.WriteFile(leftover, []byte(`{"trunc`), 0o600); err != nil {
			t.Fatal(err)
		}
		startServer(t, dir)
		if _, err := os.Stat(leftover); !os.IsNotExist(err) {
			t.Errorf("leftover temp file still there: %v", err)
		}
	})

	t.Run("an unreadable state file refuses to start", func(t *testing.T) {
		t.Parallel()
		for name, content := range map[string]string{
			"truncated":      `{"version":1,"game_id":"g1"`,
			"other version":  `{"version":99,"game_id":"g1","snapshot":"eA=="}`,
			"bad snapshot":   `{"version":1,"game_id":"g1","snapshot":"eA=="}`,
			"missing fields": `{"version":1}`,
		} {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, StateFileName), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := NewServer(Config{Addr: "127.0.0.1:0", Token: testToken, StateDir: dir})
			if err == nil || !strings.Contains(err.Error(), "state") {
				t.Errorf("%s: NewServer error = %v, want a state file error", name, err)
			}
		}
	})
}

// loadedTurn loads the state in dir the way a starting engine does and
// returns its turn.
func loadedTurn(t *testing.T, dir string) int {
	t.Helper()
	h, err := newHost(nopLogger(), stateStore{dir: dir})
	if err != nil {
		t.Fatalf("load state: %v", err)
	}
	defer func() { _ = h.stop(context.Background()) }()
	if h.g == nil {
		t.Fatal("no state in dir")
	}
	return h.g.Turn()
}
