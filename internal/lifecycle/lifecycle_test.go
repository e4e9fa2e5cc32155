package lifecycle

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a real Component that records the calls made to it.
type recorder struct {
	name     string
	log      *[]string
	mu       *sync.Mutex
	startErr error
	stopWait time.Duration // Stop blocks this long or until its deadline
	deadline time.Duration // remaining time Stop saw on its context
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Start(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	*r.log = append(*r.log, "start "+r.name)
	return r.startErr
}

func (r *recorder) Stop(ctx context.Context) error {
	if dl, ok := ctx.Deadline(); ok {
		r.deadline = time.Until(dl)
	}
	var err error
	if r.stopWait > 0 {
		select {
		case <-time.After(r.stopWait):
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	*r.log = append(*r.log, "stop "+r.name)
	return err
}

func newRecorders(names ...string) ([]*recorder, *[]string) {
	var log []string
	mu := &sync.Mutex{}
	out := make([]*recorder, len(names))
	for i, n := range names {
		out[i] = &recorder{name: n, log: &log, mu: mu}
	}
	return out, &log
}

func quiet() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewJSONHandler(&buf, nil)), &buf
}

func TestGroup(t *testing.T) {
	t.Parallel()

	t.Run("stops in reverse start order and logs each", func(t *testing.T) {
		t.Parallel()
		rs, log := newRecorders("telemetry", "postgres", "http")
		logger, buf := quiet()
		g := NewGroup(logger)
		for _, r := range rs {
			if err := g.Start(context.Background(), r, 0); err != nil {
				t.Fatal(err)
			}
		}
		if err := g.Stop(time.Second); err != nil {
			t.Fatal(err)
		}
		want := "start telemetry,start postgres,start http,stop http,stop postgres,stop telemetry"
		if got := strings.Join(*log, ","); got != want {
			t.Fatalf("got %s\nwant %s", got, want)
		}
		if n := strings.Count(buf.String(), `"msg":"component started"`); n != 3 {
			t.Errorf("want 3 started lines, got %d", n)
		}
		if n := strings.Count(buf.String(), `"msg":"component stopped"`); n != 3 {
			t.Errorf("want 3 stopped lines, got %d", n)
		}
	})

	t.Run("a failing start unwinds what already started", func(t *testing.T) {
		t.Parallel()
		rs, log := newRecorders("a", "b", "c")
		rs[2].startErr = errors.New("port in use")
		logger, _ := quiet()
		g := NewGroup(logger)
		var startErr error
		for _, r := range rs {
			if startErr = g.Start(context.Background(), r, 0); startErr != nil {
				break
			}
		}
		if startErr == nil || !strings.Contains(startErr.Error(), "start c: port in use") {
			t.Fatalf("want start error naming c, got %v", startErr)
		}
		if err := g.Stop(time.Second); err != nil {
			t.Fatal(err)
		}
		want := "start a,start b,start c,stop b,stop a"
		if got := strings.Join(*log, ","); got != want {
			t.Fatalf("got %s\nwant %s", got, want)
		}
	})

	t.Run("each stop gets the smaller of its timeout and the remaining budget", func(t *testing.T) {
		t.Parallel()
		rs, _ := newRecorders("pool", "slow", "http")
		rs[1].stopWait = time.Hour // never finishes by itself
		logger, _ := quiet()
		g := NewGroup(logger)
		_ = g.Start(context.Background(), rs[0], time.Hour)
		_ = g.Start(context.Background(), rs[1], 0)
		_ = g.Start(context.Background(), rs[2], 50*time.Millisecond)
		begin := time.Now()
		err := g.Stop(300 * time.Millisecond)
		if err == nil || !strings.Contains(err.Error(), "stop slow") {
			t.Fatalf("want the slow component's error, got %v", err)
		}
		if rs[2].deadline > 50*time.Millisecond {
			t.Errorf("http got %v, want at most its own 50ms", rs[2].deadline)
		}
		if rs[0].deadline > 10*time.Millisecond {
			t.Errorf("pool got %v after the budget was spent, want ~0", rs[0].deadline)
		}
		if took := time.Since(begin); took > 2*time.Second {
			t.Errorf("stop took %v, budget was 300ms", took)
		}
	})

	t.Run("a failure while running ends Wait with that failure", func(t *testing.T) {
		t.Parallel()
		logger, _ := quiet()
		g := NewGroup(logger)
		go g.Fail("http", errors.New("listener closed"))
		go g.Fail("jobs", errors.New("second failure is dropped, not blocking"))
		err := g.Wait(context.Background())
		if err == nil || !strings.Contains(err.Error(), "failed") {
			t.Fatalf("want a failure, got %v", err)
		}
	})

	t.Run("a signal ends Wait without error", func(t *testing.T) {
		t.Parallel()
		logger, _ := quiet()
		g := NewGroup(logger)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := g.Wait(ctx); err != nil {
			t.Fatalf("want nil, got %v", err)
		}
	})
}

// gate is a Component whose Start waits until every gate of its group has
// been entered: it starts only if the group starts them at the same time.
type gate struct {
	name    string
	entered *sync.WaitGroup
	err     error
	stopped *[]string
	mu      *sync.Mutex
}

func (g *gate) Name() string { return g.name }

func (g *gate) Start(ctx context.Context) error {
	g.entered.Done()
	done := make(chan struct{})
	go func() { g.entered.Wait(); close(done) }()
	select {
	case <-done:
		return g.err
	case <-time.After(5 * time.Second):
		return errors.New("started alone")
	}
}

func (g *gate) Stop(context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	*g.stopped = append(*g.stopped, g.name)
	return nil
}

func TestStartTogether(t *testing.T) {
	t.Parallel()
	newGates := func(names ...string) ([]Component, []*gate, *[]string) {
		entered := &sync.WaitGroup{}
		entered.Add(len(names))
		var stopped []string
		mu := &sync.Mutex{}
		cs := make([]Component, len(names))
		gs := make([]*gate, len(names))
		for i, n := range names {
			gs[i] = &gate{name: n, entered: entered, stopped: &stopped, mu: mu}
			cs[i] = gs[i]
		}
		return cs, gs, &stopped
	}

	t.Run("starts at once, records in order, stops in reverse", func(t *testing.T) {
		t.Parallel()
		logger, buf := quiet()
		g := NewGroup(logger)
		cs, _, stopped := newGates("a", "b", "c")
		if err := g.StartTogether(context.Background(), cs, len(cs), 0); err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			if i := strings.Index(line, `"component":"`); i >= 0 {
				order = append(order, line[i+13:i+14])
			}
		}
		if strings.Join(order, ",") != "a,b,c" {
			t.Fatalf("logged %v", order)
		}
		if err := g.Stop(time.Second); err != nil {
			t.Fatal(err)
		}
		if strings.Join(*stopped, ",") != "c,b,a" {
			t.Fatalf("stopped %v", *stopped)
		}
	})
	t.Run("a failure still records the others, and names the first failed", func(t *testing.T) {
		t.Parallel()
		logger, _ := quiet()
		g := NewGroup(logger)
		cs, gs, stopped := newGates("a", "b", "c")
		gs[1].err = errors.New("b broke")
		gs[2].err = errors.New("c broke")
		err := g.StartTogether(context.Background(), cs, len(cs), 0)
		if err == nil || !strings.Contains(err.Error(), "start b: b broke") {
			t.Fatalf("got %v", err)
		}
		if err := g.Stop(time.Second); err != nil {
			t.Fatal(err)
		}
		if strings.Join(*stopped, ",") != "a" {
			t.Fatalf("stopped %v", *stopped)
		}
	})
}

// overlap is a Component that counts how many of its kind start at once.
type overlap struct {
	name           string
	mu             *sync.Mutex
	running, peak  *int
	startedInOrder *[]string
}

func (o *overlap) Name() string { return o.name }

func (o *overlap) Start(context.Context) error {
	o.mu.Lock()
	*o.running++
	*o.peak = max(*o.peak, *o.running)
	*o.startedInOrder = append(*o.startedInOrder, o.name)
	o.mu.Unlock()
	time.Sleep(20 * time.Millisecond)
	o.mu.Lock()
	*o.running--
	o.mu.Unlock()
	return nil
}

func (o *overlap) Stop(context.Context) error { return nil }

func TestStartTogetherLimit(t *testing.T) {
	t.Parallel()
	var running, peak int
	var order []string
	mu := &sync.Mutex{}
	var cs []Component
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		cs = append(cs, &overlap{name: n, mu: mu, running: &running, peak: &peak, startedInOrder: &order})
	}
	logger, _ := quiet()
	if err := NewGroup(logger).StartTogether(context.Background(), cs, 2, 0); err != nil {
		t.Fatal(err)
	}
	if peak != 2 || order[0]+order[1] != "ab" && order[0]+order[1] != "ba" {
		t.Fatalf("peak %d, order %v", peak, order)
	}
}
