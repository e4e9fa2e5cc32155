package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
)

// engineAlone is BenchmarkScheduledTurns' same-run reference: the turns the
// engines alone run per second on this machine, with the concurrency the
// turn workers have, and no database or River in the way. A backend can
// never run a tick's turns faster, so a tick of N games needs at least
// N / rate seconds (the floor under the lag of its last turns).
type engineAlone struct {
	turns      int
	elapsed    time.Duration
	p50, p99   time.Duration
	cpuPerTurn time.Duration // this process (engines and client both)
}

func (r engineAlone) rate() float64 { return float64(r.turns) / r.elapsed.Seconds() }

func (r engineAlone) String() string {
	return fmt.Sprintf("%d turns in %s: %.0f turns/s (p50 %s, p99 %s, CPU %.2f ms a turn)", r.turns,
		r.elapsed.Round(time.Millisecond), r.rate(), r.p50.Round(time.Millisecond), r.p99.Round(time.Millisecond),
		float64(r.cpuPerTurn.Microseconds())/1000)
}

// refEngineCount bounds the reference's engines: enough for a steady rate.
const refEngineCount = 1000

// benchGameSettings are the settings of the benchmark's games.
const benchGameSettings = `{"idle_turns_limit": 1000000}`

// refEngines are the reference's engines: games of two races with the
// benchmark games' settings, started through a driver as the runtime starts
// them, and called through the engine client as the runtime calls them.
type refEngines struct {
	drv     driver.Driver
	ids     []string
	clients []*engine.Client
	workers int
	turn    int // the last turn run
}

// startRefEngines starts and initialises n engines on drv.
func startRefEngines(b *testing.B, drv driver.Driver, n, workers int) *refEngines {
	b.Helper()
	ctx := context.Background()
	settings := lobby.ParseSettings(json.RawMessage(benchGameSettings)).EngineSettings()
	r := &refEngines{drv: drv, ids: make([]string, n), clients: make([]*engine.Client, n), workers: workers}
	r.each(b, func(i int) error {
		r.ids[i] = fmt.Sprintf("ref-%d", i+1)
		token := fmt.Sprintf("ref-token-%d", i+1)
		e, err := drv.Start(ctx, driver.Spec{GameID: r.ids[i], Token: token})
		if err != nil {
			return err
		}
		if err := driver.WaitHealthy(ctx, e.Endpoint, 30*time.Second); err != nil {
			return err
		}
		if r.clients[i], err = engine.NewClient(e.Endpoint, token); err != nil {
			return err
		}
		_, err = r.clients[i].Init(ctx, engine.InitRequest{GameID: r.ids[i], Seed: int64(i + 1), Settings: settings,
			Races: []game.RaceSpec{{ID: "u1", Name: "Andorians"}, {ID: "u2", Name: "Betazoids"}}})
		return err
	})
	return r
}

// run runs the next turn on every engine, workers at a time, and times it.
func (r *refEngines) run(b *testing.B) engineAlone {
	b.Helper()
	r.turn++
	n := len(r.ids)
	lat := make([]time.Duration, n)
	cpu0, t0 := readCPU(), time.Now()
	r.each(b, func(i int) error {
		began := time.Now()
		_, err := r.clients[i].Turn(context.Background(), engine.TurnRequest{Turn: r.turn, Orders: map[string]string{}})
		lat[i] = time.Since(began)
		return err
	})
	a := engineAlone{turns: n, elapsed: time.Since(t0)}
	cpu1 := readCPU()
	a.cpuPerTurn = (cpu1.procUser - cpu0.procUser + cpu1.sys - cpu0.sys) / time.Duration(n)
	slices.Sort(lat)
	a.p50, a.p99 = lat[n/2], lat[min(n-1, n*99/100)]
	return a
}

// remove removes the engines and their state.
func (r *refEngines) remove(b *testing.B) {
	b.Helper()
	r.each(b, func(i int) error { return r.drv.Remove(context.Background(), r.ids[i]) })
}

// each calls fn for every engine, r.workers at a time.
func (r *refEngines) each(b *testing.B, fn func(i int) error) {
	b.Helper()
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		mu   sync.Mutex
		fail error
	)
	next.Store(-1)
	for range r.workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1))
				if i >= len(r.ids) {
					return
				}
				if err := fn(i); err != nil {
					mu.Lock()
					fail = err
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if fail != nil {
		b.Fatalf("reference engines: %v", fail)
	}
}

// pgCPU is the CPU time of the PostgreSQL backends serving the pool's
// database, read from /proc (the cluster runs on this machine): what the
// backend's statements cost the server, whoever else uses it.
func pgCPU(b *testing.B, pool *pgxpool.Pool) time.Duration {
	b.Helper()
	rows, err := pool.Query(context.Background(), `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		b.Fatal(err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		b.Fatal(err)
	}
	var ticks int64
	for _, pid := range pids {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue // not on this machine, or gone
		}
		s := string(data)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // fields from the state on
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += utime + stime
	}
	return time.Duration(ticks) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}
