package drivertest

import (
	"sync"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// testStartServes: start → healthy → init and turn with the token; a wrong
// token is refused; Inspect and List report the engine running.
func (s *suite) testStartServes(t *testing.T) {
	d := s.newDriver(t)
	id := managedGame(t, d)
	token := newToken()
	e := s.start(t, d, id, token)

	c := client(t, e.Endpoint, token)
	initGame(t, c, id)
	runTurn(t, c, 1)
	_, err := client(t, e.Endpoint, "not-"+token).Turn(t.Context(), engine.TurnRequest{Turn: 2, Orders: orders})
	wantCode(t, "Turn with a wrong token", err, errs.Unauthenticated)

	got := inspect(t, d, id)
	if got.Status != driver.StatusRunning || got.State != "running" || got.ID != e.ID || got.Endpoint != e.Endpoint || got.StartedAt.IsZero() {
		t.Errorf("Inspect = %+v, want running %s at %s", got, e.ID, e.Endpoint)
	}
	l, ok := listed(t, d, id)
	if !ok {
		t.Fatalf("List does not include game %s", id)
	}
	if l.Status != driver.StatusRunning || l.ID != e.ID || l.Name != driver.EngineName(id) || l.Endpoint != e.Endpoint {
		t.Errorf("List entry = %+v, want running %s at %s", l, e.ID, e.Endpoint)
	}
}

// testStopRestart: a stop keeps the state; the next start continues from it.
func (s *suite) testStopRestart(t *testing.T) {
	d := s.newDriver(t)
	id := managedGame(t, d)
	token := newToken()
	e := s.start(t, d, id, token)
	c := client(t, e.Endpoint, token)
	initGame(t, c, id)
	runTurn(t, c, 1)
	runTurn(t, c, 2)

	if err := d.Stop(t.Context(), id); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	got := inspect(t, d, id)
	if got.Status != driver.StatusExited || got.Endpoint != "" || got.ExitCode != 0 || got.FinishedAt.IsZero() || got.FinishedAt.Before(got.StartedAt) {
		t.Errorf("Inspect after Stop = %+v, want exited with code 0, no endpoint, finished after started", got)
	}
	if l, ok := listed(t, d, id); !ok || l.Status != driver.StatusExited || l.Endpoint != "" {
		t.Errorf("List after Stop = %+v (listed %v), want exited without endpoint", l, ok)
	}
	if err := d.Stop(t.Context(), id); err != nil {
		t.Errorf("Stop of a stopped engine: %v", err)
	}

	e2 := s.start(t, d, id, token)
	c2 := client(t, e2.Endpoint, token)
	runTurn(t, c2, 2) // the stored result of the last turn run: the state was kept
	_, err := c2.Turn(t.Context(), engine.TurnRequest{Turn: 9, Orders: orders})
	if cur, ok := engine.ConflictTurn(err); !ok || cur != 2 {
		t.Errorf("Turn 9 after restart: %v, want a conflict at current turn 2", err)
	}
	runTurn(t, c2, 3)
	if got := inspect(t, d, id); got.Status != driver.StatusRunning || got.Endpoint != e2.Endpoint {
		t.Errorf("Inspect after restart = %+v, want running at %s", got, e2.Endpoint)
	}
}

// testAdopt: starting a running engine with its token returns it untouched.
func (s *suite) testAdopt(t *testing.T) {
	d := s.newDriver(t)
	id := managedGame(t, d)
	token := newToken()
	e := s.start(t, d, id, token)
	c := client(t, e.Endpoint, token)
	initGame(t, c, id)
	runTurn(t, c, 1)

	again := s.start(t, d, id, token)
	if again.ID != e.ID || again.Endpoint != e.Endpoint {
		t.Errorf("second Start = %s at %s, want the running %s at %s", again.ID, again.Endpoint, e.ID, e.Endpoint)
	}
	runTurn(t, c, 2) // same engine, same connection target, still serving
}

// testConcurrentStarts: racing starts of one game end with one engine.
func (s *suite) testConcurrentStarts(t *testing.T) {
	d := s.newDriver(t)
	id := managedGame(t, d)
	token := newToken()
	const n = 4
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			e, err := d.Start(t.Context(), driver.Spec{GameID: id, Token: token})
			if err != nil {
				t.Errorf("Start #%d: %v", i, err)
				return
			}
			ids[i] = e.ID
		})
	}
	wg.Wait()
	for i := 1; i < n; i++ {
		if ids[i] != ids[0] {
			t.Fatalf("concurrent starts yielded engines %v, want one", ids)
		}
	}
	e := inspect(t, d, id)
	if e.ID != ids[0] || e.Status != driver.StatusRunning {
		t.Errorf("Inspect = %+v, want running %s", e, ids[0])
	}
}

// testTokenChange: a start with a new token restarts the engine with it and
// keeps the state; the old token no longer works.
func (s *suite) testTokenChange(t *testing.T) {
	d := s.newDriver(t)
	id := managedGame(t, d)
	oldToken, newTok := newToken(), newToken()
	e := s.start(t, d, id, oldToken)
	c := client(t, e.Endpoint, oldToken)
	initGame(t, c, id)
	runTurn(t, c, 1)

	e2 := s.start(t, d, id, newTok)
	if e2.ID == e.ID {
		t.Errorf("Start with another token kept engine %s", e.ID)
	}
	runTurn(t, client(t, e2.Endpoint, newTok), 1)
	_, err := client(t, e2.Endpoint, oldToken).Turn(t.Context(), engine.TurnRequest{Turn: 1, Orders: orders})
	wantCode(t, "Turn with the old token", err, errs.Unauthenticated)
}

// testRemove: Remove deletes engine and state, and is idempotent.
func (s *suite) testRemove(t *testing.T) {
	d := s.newDriver(t)
	id := managedGame(t, d)
	token := newToken()
	e := s.start(t, d, id, token)
	c := client(t, e.Endpoint, token)
	initGame(t, c, id)
	runTurn(t, c, 1)

	if err := d.Remove(t.Context(), id); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	got := inspect(t, d, id)
	if got.Status != driver.StatusMissing || got.ID != "" || got.Endpoint != "" || got.Name != driver.EngineName(id) {
		t.Errorf("Inspect after Remove = %+v, want missing", got)
	}
	if _, ok := listed(t, d, id); ok {
		t.Errorf("List still includes removed game %s", id)
	}
	wantCode(t, "Stop after Remove", d.Stop(t.Context(), id), errs.NotFound)
	if err := d.Remove(t.Context(), id); err != nil {
		t.Errorf("second Remove: %v", err)
	}

	// The state went with the engine: a new engine starts blank.
	e2 := s.start(t, d, id, token)
	_, err := client(t, e2.Endpoint, token).Turn(t.Context(), engine.TurnRequest{Turn: 1, Orders: orders})
	wantCode(t, "Turn on an engine started after Remove", err, errs.FailedPrecondition)
}

// testUnknown: a game that never had an engine.
func (s *suite) testUnknown(t *testing.T) {
	d := s.newDriver(t)
	id := newGameID()
	got := inspect(t, d, id)
	if got.Status != driver.StatusMissing || got.ID != "" || got.Endpoint != "" {
		t.Errorf("Inspect of an unknown game = %+v, want missing", got)
	}
	wantCode(t, "Stop of an unknown game", d.Stop(t.Context(), id), errs.NotFound)
	if err := d.Remove(t.Context(), id); err != nil {
		t.Errorf("Remove of an unknown game: %v", err)
	}
}

// testInvalid: malformed input never reaches the engine or Docker.
func (s *suite) testInvalid(t *testing.T) {
	d := s.newDriver(t)
	id := newGameID()
	specs := map[string]driver.Spec{
		"empty game id":           {Token: "t"},
		"game id with a slash":    {GameID: "../" + id, Token: "t"},
		"game id with a space":    {GameID: "a b", Token: "t"},
		"empty token":             {GameID: id},
		"token set through env":   {GameID: id, Token: "t", Env: map[string]string{driver.EnvToken: "x"}},
		"state dir set in env":    {GameID: id, Token: "t", Env: map[string]string{driver.EnvStateDir: "/tmp"}},
		"negative memory limit":   {GameID: id, Token: "t", Limits: driver.Limits{MemoryBytes: -1}},
		"tiny memory limit":       {GameID: id, Token: "t", Limits: driver.Limits{MemoryBytes: 1 << 20}},
		"negative CPU limit":      {GameID: id, Token: "t", Limits: driver.Limits{NanoCPUs: -1}},
		"negative pids limit":     {GameID: id, Token: "t", Limits: driver.Limits{PidsLimit: -1}},
		"env name with an equals": {GameID: id, Token: "t", Env: map[string]string{"A=B": "x"}},
	}
	for name, spec := range specs {
		_, err := d.Start(t.Context(), spec)
		wantCode(t, "Start with "+name, err, errs.InvalidArgument)
	}
	_, err := d.Inspect(t.Context(), "bad/id")
	wantCode(t, "Inspect of a bad id", err, errs.InvalidArgument)
	wantCode(t, "Stop of a bad id", d.Stop(t.Context(), "bad/id"), errs.InvalidArgument)
	wantCode(t, "Remove of a bad id", d.Remove(t.Context(), ""), errs.InvalidArgument)
	if got := inspect(t, d, id); got.Status != driver.StatusMissing {
		t.Errorf("refused starts left an engine: %+v", got)
	}
}

// testUnmanaged: List reports only engines with the backend label.
func (s *suite) testUnmanaged(t *testing.T) {
	if s.unmanaged == nil {
		t.Skip("the driver cannot have engines it does not manage (no WithUnmanaged)")
	}
	d := s.newDriver(t)
	id := newGameID()
	s.unmanaged(t, id)
	if e, ok := listed(t, d, id); ok {
		t.Errorf("List includes unlabelled engine %+v", e)
	}
}
