package jobs_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// sleepArgs asks the worker to sleep; it is a real job kind for these tests.
type sleepArgs struct {
	For time.Duration `json:"for"`
}

func (sleepArgs) Kind() string { return "test.sleep" }

type sleepWorker struct {
	river.WorkerDefaults[sleepArgs]
	mu        sync.Mutex
	started   chan struct{}
	finished  []int64
	cancelled []int64
}

func (w *sleepWorker) Work(ctx context.Context, job *river.Job[sleepArgs]) error {
	w.started <- struct{}{}
	select {
	case <-time.After(job.Args.For):
		w.mu.Lock()
		w.finished = append(w.finished, job.ID)
		w.mu.Unlock()
		return nil
	case <-ctx.Done():
		w.mu.Lock()
		w.cancelled = append(w.cancelled, job.ID)
		w.mu.Unlock()
		return ctx.Err()
	}
}

// syncBuffer is a log sink safe for River's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func newClient(t *testing.T, softStop time.Duration) (*jobs.Client, *sleepWorker, *syncBuffer, *sdktrace.TracerProvider) {
	t.Helper()
	pool := pgtest.Pool(t)
	logs := &syncBuffer{}
	logger := telemetry.NewLogger(logs, "debug")
	tp := sdktrace.NewTracerProvider()
	c, err := jobs.New(pool, config.Jobs{MaxWorkers: 4, FetchCooldown: 20 * time.Millisecond, SoftStopTimeout: softStop},
		jobs.Options{Tracer: tp.Tracer("test")}, logger)
	if err != nil {
		t.Fatal(err)
	}
	w := &sleepWorker{started: make(chan struct{}, 10)}
	jobs.Register(c, w)
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c, w, logs, tp
}

func TestClient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("works a job and logs it with its trace", func(t *testing.T) {
		t.Parallel()
		c, w, logs, _ := newClient(t, time.Second)
		if _, err := c.River().Insert(ctx, sleepArgs{For: time.Millisecond}, nil); err != nil {
			t.Fatal(err)
		}
		<-w.started
		if err := c.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		var line string
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, `"msg":"job worked"`) {
				line = l
			}
		}
		if !strings.Contains(line, `"kind":"test.sleep"`) || !strings.Contains(line, `"otel_trace_id"`) {
			t.Fatalf("no traced job log line:\n%s", logs.String())
		}
	})

	t.Run("River's heartbeat (job counts every 5s) is logged at DEBUG, not INFO", func(t *testing.T) {
		t.Parallel()
		c, w, logs, _ := newClient(t, time.Second)
		defer func() { _ = c.Stop(ctx) }()
		if _, err := c.River().Insert(ctx, sleepArgs{For: time.Millisecond}, nil); err != nil {
			t.Fatal(err)
		}
		<-w.started
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, "Producer job counts") {
					if !strings.Contains(l, `"level":"DEBUG"`) {
						t.Fatalf("heartbeat not demoted: %s", l)
					}
					return
				}
			}
		}
		t.Fatalf("no heartbeat line within 15s:\n%s", logs.String())
	})

	t.Run("soft stop lets a running job finish", func(t *testing.T) {
		t.Parallel()
		c, w, _, _ := newClient(t, 5*time.Second)
		job, err := c.River().Insert(ctx, sleepArgs{For: 300 * time.Millisecond}, nil)
		if err != nil {
			t.Fatal(err)
		}
		<-w.started
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := c.Stop(stopCtx); err != nil {
			t.Fatal(err)
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		if len(w.finished) != 1 || w.finished[0] != job.Job.ID {
			t.Fatalf("job did not finish: finished=%v cancelled=%v", w.finished, w.cancelled)
		}
	})

	t.Run("hard stop cancels a job that outlives the soft stop", func(t *testing.T) {
		t.Parallel()
		c, w, _, _ := newClient(t, 100*time.Millisecond)
		if _, err := c.River().Insert(ctx, sleepArgs{For: time.Hour}, nil); err != nil {
			t.Fatal(err)
		}
		<-w.started
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		begin := time.Now()
		if err := c.Stop(stopCtx); err != nil {
			t.Fatal(err)
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		if len(w.cancelled) != 1 {
			t.Fatalf("job was not cancelled: finished=%v cancelled=%v", w.finished, w.cancelled)
		}
		if took := time.Since(begin); took > 5*time.Second {
			t.Fatalf("stop took %v", took)
		}
	})
}
