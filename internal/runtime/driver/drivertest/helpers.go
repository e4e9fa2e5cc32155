package drivertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// cleanupTimeout bounds the Remove each test registers; t.Context() is
// already cancelled when cleanups run.
const cleanupTimeout = 2 * time.Minute

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails
	return hex.EncodeToString(b)
}

// newGameID returns a game id no other test uses, on this machine or in a
// concurrent run against the same Docker daemon.
func newGameID() string { return "dt-" + randomHex(6) }

// newToken returns a fresh per-game token.
func newToken() string { return randomHex(16) }

// managedGame starts tracking a game of d: its engine is removed at cleanup
// whatever the test did.
func managedGame(t *testing.T, d driver.Driver) string {
	t.Helper()
	id := newGameID()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := d.Remove(ctx, id); err != nil {
			t.Errorf("cleanup: Remove(%s): %v", id, err)
		}
	})
	return id
}

// start starts the game's engine, checks what Start answered and waits until
// the engine answers /healthz.
func (s *suite) start(t *testing.T, d driver.Driver, gameID, token string) driver.Engine {
	t.Helper()
	e, err := d.Start(t.Context(), driver.Spec{GameID: gameID, Token: token})
	if err != nil {
		t.Fatalf("Start(%s): %v", gameID, err)
	}
	if e.GameID != gameID || e.Name != driver.EngineName(gameID) || e.ID == "" {
		t.Fatalf("Start(%s) = game %q name %q id %q", gameID, e.GameID, e.Name, e.ID)
	}
	if e.Status != driver.StatusRunning || e.Endpoint == "" || e.StartedAt.IsZero() {
		t.Fatalf("Start(%s) = status %s endpoint %q started %v, want running with an endpoint", gameID, e.Status, e.Endpoint, e.StartedAt)
	}
	if err := driver.WaitHealthy(t.Context(), e.Endpoint, s.healthTimeout); err != nil {
		t.Fatalf("WaitHealthy(%s): %v", e.Endpoint, err)
	}
	return e
}

// client returns an engine client for endpoint with token.
func client(t *testing.T, endpoint, token string) *engine.Client {
	t.Helper()
	c, err := engine.NewClient(endpoint, token)
	if err != nil {
		t.Fatalf("NewClient(%s): %v", endpoint, err)
	}
	return c
}

// races are the races of every test game.
var races = []game.RaceSpec{{ID: "r1", Name: "Alpha"}, {ID: "r2", Name: "Beta"}}

// orders are valid for every race whatever the galaxy: comments only.
var orders = map[string]string{"r1": "; nothing this turn\n", "r2": "; idle\n"}

// initGame initialises the engine behind c with a new two-race game.
func initGame(t *testing.T, c *engine.Client, gameID string) {
	t.Helper()
	resp, err := c.Init(t.Context(), engine.InitRequest{GameID: gameID, Seed: 7, Races: races})
	if err != nil {
		t.Fatalf("Init(%s): %v", gameID, err)
	}
	if resp.Turn != 0 || len(resp.Snapshot) == 0 {
		t.Fatalf("Init(%s) = turn %d, %d snapshot bytes", gameID, resp.Turn, len(resp.Snapshot))
	}
}

// runTurn asks the engine behind c for turn n (run or replayed) and checks
// the answer is turn n.
func runTurn(t *testing.T, c *engine.Client, n int) {
	t.Helper()
	resp, err := c.Turn(t.Context(), engine.TurnRequest{Turn: n, Orders: orders})
	if err != nil {
		t.Fatalf("Turn(%d): %v", n, err)
	}
	if resp.Turn != n {
		t.Fatalf("Turn(%d) answered turn %d", n, resp.Turn)
	}
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, what string, err error, code errs.Code) {
	t.Helper()
	if got := errs.CodeOf(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: error %T is not an *errs.Error", what, err)
	}
}

// inspect returns the game's engine, failing on error.
func inspect(t *testing.T, d driver.Driver, gameID string) driver.Engine {
	t.Helper()
	e, err := d.Inspect(t.Context(), gameID)
	if err != nil {
		t.Fatalf("Inspect(%s): %v", gameID, err)
	}
	if e.GameID != gameID {
		t.Fatalf("Inspect(%s) returned game %q", gameID, e.GameID)
	}
	return e
}

// listed returns the game's entry in List, if any.
func listed(t *testing.T, d driver.Driver, gameID string) (driver.Engine, bool) {
	t.Helper()
	all, err := d.List(t.Context())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if !slices.IsSortedFunc(all, func(a, b driver.Engine) int { return compare(a.GameID, b.GameID) }) {
		t.Errorf("List is not sorted by game id")
	}
	for _, e := range all {
		if e.GameID == gameID {
			return e, true
		}
	}
	return driver.Engine{}, false
}

// compare orders strings for slices.IsSortedFunc.
func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
