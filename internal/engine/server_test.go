package engine

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

func TestInit(t *testing.T) {
	t.Parallel()

	t.Run("new game starts at turn 0 with a report per race", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		resp := mustInit(t, c, "g1")
		if resp.Turn != 0 {
			t.Errorf("turn = %d, want 0", resp.Turn)
		}
		if len(resp.Snapshot) == 0 {
			t.Error("snapshot is empty")
		}
		for _, r := range testRaces {
			if rep, ok := resp.Reports[r.ID]; !ok || rep.Text == "" {
				t.Errorf("no report text for %s", r.ID)
			}
		}
	})

	t.Run("same request again answers the same bytes", func(t *testing.T) {
		t.Parallel()
		srv, _ := startServer(t, "")
		body := `{"game_id":"g1","seed":7,"races":[{"race_id":"r1","name":"Alpha"},{"race_id":"r2","name":"Beta"}]}`
		st1, b1 := rawPost(t, srv, "/admin/init", "Bearer "+testToken, body)
		st2, b2 := rawPost(t, srv, "/admin/init", "Bearer "+testToken, body)
		if st1 != http.StatusOK || st2 != http.StatusOK {
			t.Fatalf("statuses %d, %d: %s", st1, st2, b2)
		}
		if !bytes.Equal(b1, b2) {
			t.Error("second init answered different bytes")
		}
	})

	t.Run("different request on an initialised engine conflicts", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		mustInit(t, c, "g1")
		other := newInit("g1")
		other.Seed++
		_, err := c.Init(t.Context(), other)
		wantCode(t, err, errs.Conflict)
		_, err = c.Init(t.Context(), newInit("g2"))
		e := errWithCode(t, err, errs.Conflict)
		if e.Details["game_id"] != "g1" {
			t.Errorf("details = %v, want game_id g1", e.Details)
		}
	})

	t.Run("same request after a turn conflicts with the current turn", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		mustInit(t, c, "g1")
		mustTurn(t, c, 1)
		_, err := c.Init(t.Context(), newInit("g1"))
		wantCode(t, err, errs.Conflict)
		if turn, ok := ConflictTurn(err); !ok || turn != 1 {
			t.Errorf("ConflictTurn = %d, %v; want 1, true", turn, ok)
		}
	})

	t.Run("snapshot restores the same state", func(t *testing.T) {
		t.Parallel()
		_, a := startServer(t, "")
		mustInit(t, a, "g1")
		t1 := mustTurn(t, a, 1)

		_, b := startServer(t, "")
		restored, err := b.Init(t.Context(), InitRequest{GameID: "g1", Snapshot: t1.Snapshot})
		if err != nil {
			t.Fatalf("Init from snapshot: %v", err)
		}
		if restored.Turn != 1 {
			t.Errorf("restored turn = %d, want 1", restored.Turn)
		}
		if !bytes.Equal(restored.Snapshot, t1.Snapshot) {
			t.Error("restored snapshot differs from the one given")
		}
		if !reflect.DeepEqual(restored.Reports, t1.Reports) {
			t.Error("restored reports differ from the turn's reports")
		}
		// The restored engine answers the turn it was restored at ...
		again, err := b.Turn(t.Context(), TurnRequest{Turn: 1})
		if err != nil {
			t.Fatalf("Turn 1 on restored engine: %v", err)
		}
		if !reflect.DeepEqual(again.Summary, t1.Summary) {
			t.Errorf("restored summary %+v, want %+v", again.Summary, t1.Summary)
		}
		// ... and both engines run the next turn identically.
		a2, b2 := mustTurn(t, a, 2), mustTurn(t, b, 2)
		if !bytes.Equal(a2.Snapshot, b2.Snapshot) {
			t.Error("turn 2 differs between original and restored engine")
		}
		// Re-attaching with the current snapshot is accepted as it stands.
		if _, err := b.Init(t.Context(), InitRequest{GameID: "g1", Snapshot: b2.Snapshot}); err != nil {
			t.Errorf("re-init with the current snapshot: %v", err)
		}
	})

	t.Run("bad snapshot is an invalid argument", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		_, err := c.Init(t.Context(), InitRequest{GameID: "g1", Snapshot: []byte("not a snapshot")})
		wantCode(t, err, errs.InvalidArgument)
	})

	t.Run("missing game id or races is an invalid argument", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		_, err := c.Init(t.Context(), InitRequest{Seed: 1, Races: testRaces})
		wantCode(t, err, errs.InvalidArgument)
		_, err = c.Init(t.Context(), InitRequest{GameID: "g1"})
		wantCode(t, err, errs.InvalidArgument)
	})
}

func TestTurn(t *testing.T) {
	t.Parallel()

	t.Run("before init fails its precondition", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		_, err := c.Turn(t.Context(), TurnRequest{Turn: 1})
		wantCode(t, err, errs.FailedPrecondition)
	})

	t.Run("the turn just run is answered again with the same bytes", func(t *testing.T) {
		t.Parallel()
		srv, c := startServer(t, "")
		mustInit(t, c, "g1")
		body := `{"turn":1,"orders":{"r1":"; hello"}}`
		st1, b1 := rawPost(t, srv, "/admin/turn", "Bearer "+testToken, body)
		st2, b2 := rawPost(t, srv, "/admin/turn", "Bearer "+testToken, body)
		if st1 != http.StatusOK || st2 != http.StatusOK {
			t.Fatalf("statuses %d, %d: %s", st1, st2, b2)
		}
		if !bytes.Equal(b1, b2) {
			t.Error("replayed turn answered different bytes")
		}
		var resp TurnResponse
		if err := json.Unmarshal(b1, &resp); err != nil {
			t.Fatal(err)
		}
		if resp.Turn != 1 || len(resp.Snapshot) == 0 || len(resp.Summary.Races) != len(testRaces) {
			t.Errorf("turn response = turn %d, %d snapshot bytes, %d races", resp.Turn, len(resp.Snapshot), len(resp.Summary.Races))
		}
	})

	t.Run("a skipped or past turn conflicts with the current turn", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		mustInit(t, c, "g1")
		mustTurn(t, c, 1)
		mustTurn(t, c, 2)
		for _, n := range []int{1, 4} {
			_, err := c.Turn(t.Context(), TurnRequest{Turn: n})
			wantCode(t, err, errs.Conflict)
			if cur, ok := ConflictTurn(err); !ok || cur != 2 {
				t.Errorf("turn %d: ConflictTurn = %d, %v; want 2, true", n, cur, ok)
			}
		}
	})

	t.Run("turn 1 is not answered before it ran", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		mustInit(t, c, "g1")
		_, err := c.Turn(t.Context(), TurnRequest{Turn: 2})
		wantCode(t, err, errs.Conflict)
	})

	t.Run("a finished game runs no more turns but still replays its last", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		req := newInit("g1")
		req.Settings.MaxTurns = 1
		if _, err := c.Init(t.Context(), req); err != nil {
			t.Fatal(err)
		}
		last := mustTurn(t, c, 1)
		if !last.Summary.Finished {
			t.Fatal("game not finished after max_turns")
		}
		_, err := c.Turn(t.Context(), TurnRequest{Turn: 2})
		wantCode(t, err, errs.FailedPrecondition)
		if _, err := c.Turn(t.Context(), TurnRequest{Turn: 1}); err != nil {
			t.Errorf("replay of the final turn: %v", err)
		}
	})

	t.Run("orders of an unknown race are an invalid argument", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		mustInit(t, c, "g1")
		_, err := c.Turn(t.Context(), TurnRequest{Turn: 1, Orders: map[string]string{"nobody": ""}})
		wantCode(t, err, errs.InvalidArgument)
		mustTurn(t, c, 1) // the refused call left the engine at turn 0
	})

	t.Run("concurrent calls for the same turn run it once", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		mustInit(t, c, "g1")
		var wg sync.WaitGroup
		snaps := make([][]byte, 8)
		for i := range snaps {
			wg.Go(func() {
				resp, err := c.Turn(t.Context(), TurnRequest{Turn: 1, Orders: testOrders()})
				if err != nil {
					t.Errorf("Turn: %v", err)
					return
				}
				snaps[i] = resp.Snapshot
			})
		}
		wg.Wait()
		for i := range snaps {
			if !bytes.Equal(snaps[i], snaps[0]) {
				t.Fatalf("call %d saw a different turn 1", i)
			}
		}
	})
}

func TestCheckOrders(t *testing.T) {
	t.Parallel()

	t.Run("mistakes are reported by line", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		mustInit(t, c, "g1")
		resp, err := c.CheckOrders(t.Context(), "r1", "; fine\nk not an order\n")
		if err != nil {
			t.Fatalf("CheckOrders: %v", err)
		}
		found := false
		for _, m := range resp.Errors {
			found = found || m.Line == 2
		}
		if !found {
			t.Errorf("errors = %+v, want a mistake on line 2", resp.Errors)
		}
	})

	t.Run("clean orders have an empty error list", func(t *testing.T) {
		t.Parallel()
		srv, c := startServer(t, "")
		mustInit(t, c, "g1")
		st, b := rawPost(t, srv, "/orders/check", "Bearer "+testToken, `{"race_id":"r2","text":"; nothing\n"}`)
		if st != http.StatusOK {
			t.Fatalf("status %d: %s", st, b)
		}
		if !strings.Contains(string(b), `"errors":[]`) {
			t.Errorf("body %s, want an empty errors list", b)
		}
	})

	t.Run("unknown race is an invalid argument", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		mustInit(t, c, "g1")
		_, err := c.CheckOrders(t.Context(), "nobody", "")
		wantCode(t, err, errs.InvalidArgument)
	})

	t.Run("before init fails its precondition", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		_, err := c.CheckOrders(t.Context(), "r1", "")
		wantCode(t, err, errs.FailedPrecondition)
	})

	t.Run("checks run beside each other and beside turns", func(t *testing.T) {
		t.Parallel()
		_, c := startServer(t, "")
		mustInit(t, c, "g1")
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				if _, err := c.CheckOrders(t.Context(), "r1", "; x\n"); err != nil {
					t.Errorf("CheckOrders: %v", err)
				}
			})
		}
		wg.Go(func() {
			for n := 1; n <= 3; n++ {
				if _, err := c.Turn(t.Context(), TurnRequest{Turn: n, Orders: testOrders()}); err != nil {
					t.Errorf("Turn %d: %v", n, err)
				}
			}
		})
		wg.Wait()
	})
}

func TestHTTPEdges(t *testing.T) {
	t.Parallel()

	t.Run("calls without the right bearer token are unauthenticated", func(t *testing.T) {
		t.Parallel()
		srv, _ := startServer(t, "")
		for _, auth := range []string{"", "Bearer wrong", "Basic " + testToken, testToken, "Bearer " + testToken + "x"} {
			for _, path := range []string{"/admin/init", "/admin/turn", "/orders/check", "/nowhere"} {
				st, b := rawPost(t, srv, path, auth, `{}`)
				if st != http.StatusUnauthorized || errorCode(t, b) != string(errs.Unauthenticated) {
					t.Errorf("%s with %q: %d %s, want 401 unauthenticated", path, auth, st, b)
				}
			}
		}
		c, err := NewClient("http://"+srv.Addr(), "wrong")
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.CheckOrders(t.Context(), "r1", "")
		wantCode(t, err, errs.Unauthenticated)
	})

	t.Run("healthz needs no token", func(t *testing.T) {
		t.Parallel()
		srv, _ := startServer(t, "")
		c, err := NewClient("http://"+srv.Addr(), "")
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Healthz(t.Context()); err != nil {
			t.Errorf("Healthz: %v", err)
		}
	})

	t.Run("malformed JSON and unknown fields are invalid arguments", func(t *testing.T) {
		t.Parallel()
		srv, c := startServer(t, "")
		mustInit(t, c, "g1")
		cases := map[string]string{
			"/admin/init":   `{"game_id":"g1","colour":"red"}`,
			"/admin/turn":   `{"turn":1,`,
			"/orders/check": `{"race_id":"r1","text":"x"} {"again":1}`,
		}
		for path, body := range cases {
			st, b := rawPost(t, srv, path, "Bearer "+testToken, body)
			if st != http.StatusBadRequest || errorCode(t, b) != string(errs.InvalidArgument) {
				t.Errorf("%s %s: %d %s, want 400 invalid_argument", path, body, st, b)
			}
		}
		st, b := rawPost(t, srv, "/admin/turn", "Bearer "+testToken, "")
		if st != http.StatusBadRequest {
			t.Errorf("empty body: %d %s, want 400", st, b)
		}
		st, b = rawPost(t, srv, "/admin/init", "Bearer "+testToken, `{"game_id":"g1","settings":{"no_such_setting":1}}`)
		if st != http.StatusBadRequest {
			t.Errorf("unknown settings field: %d %s, want 400", st, b)
		}
	})

	t.Run("oversized bodies are refused with 413", func(t *testing.T) {
		t.Parallel()
		srv, _ := startServer(t, "")
		big := `{"race_id":"r1","text":"` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`
		st, b := rawPost(t, srv, "/orders/check", "Bearer "+testToken, big)
		if st != http.StatusRequestEntityTooLarge || errorCode(t, b) != string(errs.PayloadTooLarge) {
			t.Errorf("got %d %s, want 413 payload_too_large", st, b)
		}
	})

	t.Run("unknown routes are not found in the error format", func(t *testing.T) {
		t.Parallel()
		srv, _ := startServer(t, "")
		st, b := rawPost(t, srv, "/admin/nothing", "Bearer "+testToken, `{}`)
		if st != http.StatusNotFound || errorCode(t, b) != string(errs.NotFound) {
			t.Errorf("got %d %s, want 404 not_found", st, b)
		}
	})
}

// errorCode extracts the code of an error envelope.
func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e ErrorBody
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("body %q is not an error envelope: %v", body, err)
	}
	return e.Error.Code
}
