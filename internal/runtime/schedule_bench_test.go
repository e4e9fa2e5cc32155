package runtime

import (
	"cmp"
	"context"
	"fmt"
	"os"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// BenchmarkScheduledTurns measures how many running games one backend keeps
// on schedule. N games with a minute schedule (`* * * * *`) are started
// through the lobby on real in-process engines; then the scheduler runs
// them for K minute ticks, all games sharing the tick at :00 (the worst
// case), and the lag of every scheduled turn is read back from river_job.
//
// Environment:
//
//	GALAXY_BENCH_GAMES         N, default 1000 (keeps `make bench` at a few
//	                           minutes); the figure the capacity question
//	                           asks about is 10000
//	GALAXY_BENCH_TICKS         K, default 2
//	GALAXY_BENCH_TURN_WORKERS  Config.TurnWorkers, default 0 (the runtime's
//	                           default)
//
// For example:
//
//	GALAXY_BENCH_GAMES=10000 go test ./internal/runtime -run '^$' \
//	    -bench BenchmarkScheduledTurns -benchtime 1x -timeout 60m
//
// Every in-process engine holds a listening socket, so N games need a bit
// more than N file descriptors (plus keep-alive connections and the pool):
// the benchmark checks RLIMIT_NOFILE before it starts.
//
// The same-run reference (engineAlone) runs one turn on each of up to
// 1,000 engines of its own with no database or River in the way, with the
// turn workers' concurrency, before the games start and again after the
// measured ticks: the rate the engines alone allow on this machine, which
// no backend can beat. The benchmark reports the faster of the two, its own
// rate against it (turns_vs_engine_alone), and the least a tick of N games
// can take at that rate (engine_alone_floor_s): the floor under the lag of
// a tick's last turns. Other work on the machine moves both figures; the
// ratio moves less. A second reference (riverAlone) queues N no-op jobs due
// at one instant on a queue configured as the turn queue: the lag River
// alone adds (river_alone_p99_lag_s), the floor under the first turns'.
//
// The scenario takes minutes, so it runs once per process whatever b.N is;
// later calls report the figures of the first.
func BenchmarkScheduledTurns(b *testing.B) {
	if scheduledTurnsResult == nil {
		scheduledTurnsResult = runScheduledTurns(b)
	} else {
		b.ResetTimer()
	}
	r := scheduledTurnsResult
	b.ReportMetric(r.p99Lag.Seconds(), "p99_lag_s")
	b.ReportMetric(float64(r.onSchedule), "games_on_schedule")
	b.ReportMetric(r.turnsPerSec, "turns/s")
	b.ReportMetric(r.ref.rate(), "engine_alone_turns/s")
	b.ReportMetric(r.turnsPerSec/r.ref.rate(), "turns_vs_engine_alone")
	b.ReportMetric(float64(r.games)/r.ref.rate(), "engine_alone_floor_s")
	b.ReportMetric(r.river.p99.Seconds(), "river_alone_p99_lag_s")
}

// scheduledTurnsResult keeps the figures of the one run of the scenario.
var scheduledTurnsResult *schedResult

type schedResult struct {
	p99Lag      time.Duration
	onSchedule  int
	turnsPerSec float64
	games       int
	ref         engineAlone
	river       riverAlone
}

func benchEnvInt(b *testing.B, name string, def int) int {
	b.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		b.Fatalf("%s=%q: want a non-negative integer", name, v)
	}
	return n
}

// benchEnv is newEnvWith's wiring (real Postgres, River, lobby, inprocess
// engines) sized for load, with explicit stops so the scenario can time them.
type benchEnv struct {
	*env
	stopJobs, closeDriver func() (time.Duration, error)
}

func newBenchEnv(b *testing.B, cfg Config) *benchEnv {
	b.Helper()
	eff := cfg.withDefaults()
	// Each start worker holds a connection for its transactions; turns hold
	// one per batch of each step (see turn_batch.go), a few when an engine
	// fails; River's fetchers, completer, notifier and maintenance need
	// theirs, and so do the benchmark's own pollers.
	pcfg, err := pgxpool.ParseConfig(pgtest.DSN(b))
	if err != nil {
		b.Fatal(err)
	}
	pcfg.MaxConns = int32(eff.StartWorkers + 8 + 32)
	pcfg.ConnConfig.RuntimeParams["search_path"] = postgres.Schema
	pool, err := pgxpool.NewWithConfig(context.Background(), pcfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	drv := newInprocess(b)
	// The runtime as the app configures it (cfg's zero fields take the
	// defaults, the periodic reconciler included), not the tests' tuning.
	e := &benchEnv{env: newEnvWith(b, pool, drv, func(c *Config) { *c = cfg })}
	var jobsOnce, drvOnce sync.Once
	e.stopJobs = func() (d time.Duration, err error) {
		jobsOnce.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			t := time.Now()
			err = e.jc.Stop(ctx)
			d = time.Since(t)
		})
		return d, err
	}
	e.closeDriver = func() (d time.Duration, err error) {
		drvOnce.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			t := time.Now()
			err = drv.Close(ctx)
			d = time.Since(t)
		})
		return d, err
	}
	// On a failure half-way: jobs first (no turn in flight), then engines,
	// then the pool (registered above, so run after these).
	b.Cleanup(func() { _, _ = e.closeDriver() })
	b.Cleanup(func() { _, _ = e.stopJobs() })
	return e
}

// procStats is what the process holds: open descriptors and memory.
type procStats struct {
	fds        int
	rssMiB     float64 // VmRSS
	hwmMiB     float64 // VmHWM, the peak RSS
	goroutines int
	heapMiB    float64
}

func readProcStats() procStats {
	var p procStats
	if ents, err := os.ReadDir("/proc/self/fd"); err == nil {
		p.fds = len(ents)
	}
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for line := range strings.SplitSeq(string(data), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			f := strings.Fields(v)
			if len(f) == 0 {
				continue
			}
			kb, _ := strconv.ParseFloat(f[0], 64)
			switch k {
			case "VmRSS":
				p.rssMiB = kb / 1024
			case "VmHWM":
				p.hwmMiB = kb / 1024
			}
		}
	}
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	p.heapMiB = float64(ms.HeapInuse) / (1 << 20)
	p.goroutines = goruntime.NumGoroutine()
	return p
}

func (p procStats) String() string {
	return fmt.Sprintf("fds %d, RSS %.0f MiB (peak %.0f), Go heap in use %.0f MiB, goroutines %d",
		p.fds, p.rssMiB, p.hwmMiB, p.heapMiB, p.goroutines)
}

// fdWatch samples the number of open descriptors and keeps the peak.
type fdWatch struct{ peak atomic.Int64 }

func (w *fdWatch) sample() {
	if ents, err := os.ReadDir("/proc/self/fd"); err == nil {
		n := int64(len(ents))
		for {
			cur := w.peak.Load()
			if n <= cur || w.peak.CompareAndSwap(cur, n) {
				return
			}
		}
	}
}

func runScheduledTurns(b *testing.B) *schedResult {
	b.Helper()
	ctx := context.Background()
	games := benchEnvInt(b, "GALAXY_BENCH_GAMES", 1000)
	ticks := benchEnvInt(b, "GALAXY_BENCH_TICKS", 2)
	turnWorkers := benchEnvInt(b, "GALAXY_BENCH_TURN_WORKERS", 0)
	if games < 1 || ticks < 1 {
		b.Fatal("GALAXY_BENCH_GAMES and GALAXY_BENCH_TICKS must be at least 1")
	}
	cfg := Config{StartWorkers: 16, TurnWorkers: turnWorkers}
	eff := cfg.withDefaults()

	// One listening socket per engine, plus keep-alive connections to
	// engines (http.DefaultTransport keeps at most 100 idle, each two
	// descriptors in this process), the pool, and the rest of the process.
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil {
		soft := lim.Cur
		need := uint64(games+min(games, refEngineCount)) + 2*100 + uint64(eff.StartWorkers+8+32) + 256
		if soft < need {
			b.Fatalf("RLIMIT_NOFILE is %d; %d games need about %d descriptors (raise ulimit -n)", soft, games, need)
		}
		fmt.Printf("scheduled-turns: RLIMIT_NOFILE %d, about %d needed\n", soft, need)
	}

	e := newBenchEnv(b, cfg)
	var fdw fdWatch
	fmt.Printf("scheduled-turns: %d games, %d ticks, start workers %d, turn workers %d, GOMAXPROCS %d\n",
		games, ticks, eff.StartWorkers, eff.TurnWorkers, goruntime.GOMAXPROCS(0))
	b.ResetTimer()

	// A driver of its own: the runtime's reconciler would remove engines of
	// games it does not know.
	refs := startRefEngines(b, newInprocess(b), min(games, refEngineCount), eff.TurnWorkers)
	refBefore := refs.run(b)
	fmt.Printf("scheduled-turns: reference, engines alone, %d at a time: %s\n", eff.TurnWorkers, refBefore)
	riv := measureRiverAlone(b, e.pool, games, eff.TurnWorkers)
	fmt.Printf("scheduled-turns: reference, River alone: %s\n", riv)

	// The games, in bulk: two players each (player 1 owns the game), ready
	// to start, a minute schedule, and no idle-race elimination (nobody
	// sends orders; by default idle races are dropped after 3 turns and the
	// game would end).
	t0 := time.Now()
	for _, q := range []string{
		`INSERT INTO users (user_id, email, display_name)
		 SELECT 'bench-u' || i, 'bench-u' || i || '@example.com', 'bench-u' || i FROM generate_series(1, 2 * $1::int) i`,
		`INSERT INTO games (game_id, name, visibility, owner_user_id, status, min_players, max_players, approved_count,
		                    enrollment_ends_at, turn_schedule, settings, seed)
		 SELECT 'bench-' || i, 'Bench ' || i, 'public', 'bench-u' || (2 * i - 1), 'ready', 2, 2, 2,
		        now(), '* * * * *', '` + benchGameSettings + `', i FROM generate_series(1, $1::int) i`,
		`INSERT INTO memberships (game_id, user_id, race_id, race_name, status)
		 SELECT 'bench-' || i, 'bench-u' || (2 * i - 1 + p), 'bench-u' || (2 * i - 1 + p), (ARRAY['Andorians', 'Betazoids'])[p + 1], 'active'
		 FROM generate_series(1, $1::int) i, generate_series(0, 1) p`,
	} {
		if _, err := e.pool.Exec(ctx, q, games); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	fmt.Printf("scheduled-turns: created %d games in %s\n", games, time.Since(t0).Round(time.Millisecond))

	// Start them all through the lobby, as their owners would.
	t0 = time.Now()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		startMu  sync.Mutex
		startErr error
	)
	for range 8 {
		wg.Go(func() {
			for {
				i := int(next.Add(1))
				if i > games {
					return
				}
				if _, err := e.lobby.Start(ctx, fmt.Sprintf("bench-u%d", 2*i-1), fmt.Sprintf("bench-%d", i)); err != nil {
					startMu.Lock()
					startErr = err
					startMu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if startErr != nil {
		b.Fatalf("lobby.Start: %v", startErr)
	}
	fmt.Printf("scheduled-turns: lobby.Start of %d games took %s\n", games, time.Since(t0).Round(time.Millisecond))

	// Wait until every game runs (or failed to start for good), giving up
	// when nothing moves for three minutes.
	var running, failed int
	lastProgress, lastRunning, lastPrint := time.Now(), -1, time.Time{}
	for {
		fdw.sample()
		running = e.count(b, `SELECT count(*) FROM games WHERE status = 'running'`)
		failed = e.count(b, `SELECT count(*) FROM games WHERE status = 'start_failed'`)
		if running != lastRunning {
			lastRunning, lastProgress = running, time.Now()
		}
		if time.Since(lastPrint) >= 5*time.Second || running+failed == games {
			el := time.Since(t0)
			fmt.Printf("scheduled-turns: %6.1fs  running %d/%d, start_failed %d (%.1f starts/s), %s\n",
				el.Seconds(), running, games, failed, float64(running)/el.Seconds(), readProcStats())
			lastPrint = time.Now()
		}
		if running+failed == games {
			break
		}
		if time.Since(lastProgress) > 3*time.Minute {
			fmt.Printf("scheduled-turns: starts stalled at %d running\n", running)
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	startDur := time.Since(t0)
	fmt.Printf("scheduled-turns: %d of %d games running after %s (%.1f starts/s); %d start_failed\n",
		running, games, startDur.Round(time.Millisecond), float64(running)/startDur.Seconds(), failed)
	if running < games {
		printStartErrors(b, e)
	}
	if running == 0 {
		b.Fatal("no game runs")
	}
	afterStart := readProcStats()
	fmt.Printf("scheduled-turns: after the starts: %s\n", afterStart)

	// The measured ticks: the first K whole-minute ticks after every game
	// runs, so every game has its turn job queued for the first of them.
	first := time.Now().UTC().Truncate(time.Minute).Add(time.Minute)
	last := first.Add(time.Duration(ticks-1) * time.Minute)
	deadline := last.Add(time.Minute) // the turn of the last tick is due before the following one
	fmt.Printf("scheduled-turns: measuring ticks %s .. %s (until %s)\n",
		first.Format(time.TimeOnly), last.Format(time.TimeOnly), deadline.Format(time.TimeOnly))
	var (
		cpu    cpuSample // from the first measured tick
		pgCPU0 time.Duration
	)
	for time.Now().Before(deadline) {
		if cpu.at.IsZero() && !time.Now().Before(first) {
			cpu, pgCPU0 = readCPU(), pgCPU(b, e.pool)
		}
		fdw.sample()
		time.Sleep(time.Second)
		if s := time.Now().Second(); s%10 == 0 {
			backlog := e.count(b, `SELECT count(*) FROM river_job WHERE kind = 'runtime.turn' AND state IN ('available', 'running', 'retryable')`)
			fmt.Printf("scheduled-turns: %s  turn jobs available/running/retryable %d, %s\n",
				time.Now().UTC().Format(time.TimeOnly), backlog, readProcStats())
		}
	}
	fmt.Printf("scheduled-turns: CPU over the measured ticks: %s; PostgreSQL backends %.2f cores\n",
		cpuSince(cpu), (pgCPU(b, e.pool)-pgCPU0).Seconds()/time.Since(cpu.at).Seconds())
	// Turns of the measured ticks still running now are late already; wait
	// for them (up to 10 minutes) so that their lag is known too.
	pending := func() int {
		return e.count(b, `SELECT count(*) FROM river_job
			WHERE kind = 'runtime.turn' AND args->>'trigger' = 'schedule'
			  AND date_trunc('minute', scheduled_at) BETWEEN $1 AND $2
			  AND state NOT IN ('completed', 'cancelled', 'discarded')`, first, last)
	}
	for waitEnd := time.Now().Add(10 * time.Minute); time.Now().Before(waitEnd); {
		n := pending()
		if n == 0 {
			break
		}
		fmt.Printf("scheduled-turns: %d turns of the measured ticks still to run\n", n)
		fdw.sample()
		time.Sleep(5 * time.Second)
	}
	b.StopTimer()
	peak := readProcStats()

	r := analyseScheduledTurns(b, e, first, time.Now(), ticks, running)
	refAfter := refs.run(b)
	refs.remove(b)
	r.games, r.river = running, riv
	r.ref = slices.MaxFunc([]engineAlone{refBefore, refAfter}, func(a, b engineAlone) int { return cmp.Compare(a.rate(), b.rate()) })
	fmt.Printf("  reference, engines alone, %d at a time: before the ticks %s; after %s\n", eff.TurnWorkers, refBefore, refAfter)
	fmt.Printf("  against the faster (%.0f turns/s): %.2f of their rate; at it, a tick of %d games takes at least %.1f s\n",
		r.ref.rate(), r.turnsPerSec/r.ref.rate(), running, float64(running)/r.ref.rate())
	fmt.Printf("  reference, River alone: %s\n\n", riv)

	jd, jerr := e.stopJobs()
	dd, derr := e.closeDriver()
	fmt.Printf("scheduled-turns: stopped jobs in %s (%v), %d engines in %s (%v)\n",
		jd.Round(time.Millisecond), jerr, running, dd.Round(time.Millisecond), derr)
	fmt.Printf("scheduled-turns: process: peak fds %d, peak RSS %.0f MiB, RSS after starts %.0f MiB (%.0f KiB per game), goroutines after starts %d\n",
		fdw.peak.Load(), peak.hwmMiB, afterStart.rssMiB, afterStart.rssMiB*1024/float64(running), afterStart.goroutines)
	if jerr != nil || derr != nil {
		b.Errorf("stop: jobs %v, driver %v", jerr, derr)
	}
	return r
}

// printStartErrors groups the last errors of games that do not run.
func printStartErrors(b *testing.B, e *benchEnv) {
	b.Helper()
	rows, err := e.pool.Query(context.Background(), `
		SELECT g.status, coalesce(r.status, '-'), left(coalesce(r.last_error, ''), 200), count(*)
		FROM games g LEFT JOIN runtime_records r USING (game_id)
		WHERE g.status <> 'running' GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 10`)
	if err != nil {
		b.Logf("start errors: %v", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var gs, rs, msg string
		var n int
		if err := rows.Scan(&gs, &rs, &msg, &n); err != nil {
			b.Logf("start errors: %v", err)
			return
		}
		fmt.Printf("scheduled-turns:   %d games %s (engine %s): %s\n", n, gs, rs, msg)
	}
}

type turnJob struct {
	gameID    string
	tick      time.Time
	attempted *time.Time
	finalized *time.Time
	state     string
	attempt   int
}

// analyseScheduledTurns reads the scheduled turn jobs of the measured ticks
// back from river_job and prints and returns the figures.
func analyseScheduledTurns(b *testing.B, e *benchEnv, first, end time.Time, ticks, running int) *schedResult {
	b.Helper()
	last := first.Add(time.Duration(ticks-1) * time.Minute)
	rows, err := e.pool.Query(context.Background(), `
		SELECT args->>'game_id', date_trunc('minute', scheduled_at), attempted_at, finalized_at, state, attempt
		FROM river_job
		WHERE kind = 'runtime.turn' AND args->>'trigger' = 'schedule'
		  AND date_trunc('minute', scheduled_at) BETWEEN $1 AND $2`, first, last)
	if err != nil {
		b.Fatal(err)
	}
	jobsRead, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (turnJob, error) {
		var j turnJob
		err := row.Scan(&j.gameID, &j.tick, &j.attempted, &j.finalized, &j.state, &j.attempt)
		return j, err
	})
	if err != nil {
		b.Fatal(err)
	}

	type tickStats struct {
		turns, onTime, late, unfinished, retried int
		firstStart, lastCommit                   time.Time
	}
	perTick := make([]tickStats, ticks)
	var commitLags, startLags, runTimes []time.Duration
	onTimeTicks := map[string]int{} // game -> ticks whose turn committed before the next tick
	for _, j := range jobsRead {
		k := int(j.tick.Sub(first) / time.Minute)
		if k < 0 || k >= ticks {
			continue
		}
		ts := &perTick[k]
		if j.attempt > 1 {
			ts.retried++
		}
		if j.state != "completed" || j.finalized == nil {
			ts.unfinished++
			continue
		}
		ts.turns++
		commit := j.finalized.Sub(j.tick)
		commitLags = append(commitLags, commit)
		if j.attempted != nil {
			startLags = append(startLags, j.attempted.Sub(j.tick))
			runTimes = append(runTimes, j.finalized.Sub(*j.attempted))
			if ts.firstStart.IsZero() || j.attempted.Before(ts.firstStart) {
				ts.firstStart = *j.attempted
			}
		}
		if j.finalized.After(ts.lastCommit) {
			ts.lastCommit = *j.finalized
		}
		if commit < time.Minute {
			ts.onTime++
			onTimeTicks[j.gameID]++
		} else {
			ts.late++
		}
	}
	onSchedule := 0
	for _, n := range onTimeTicks {
		if n == ticks {
			onSchedule++
		}
	}
	fmt.Printf("\nscheduled-turns: %d running games, minute schedule, %d ticks\n", running, ticks)
	fmt.Printf("  %-8s %7s %8s %6s %10s %9s %10s %10s\n", "tick", "turns", "on time", "late", "not done", "retried",
		"first (s)", "burst (s)")
	for k, ts := range perTick {
		// first: from the tick to the first start (River's part of the
		// lag); burst: from the first start to the last commit of the
		// tick's turns.
		tick := first.Add(time.Duration(k) * time.Minute)
		fmt.Printf("  %-8s %7d %8d %6d %10d %9d %10.2f %10.1f\n", tick.Format("15:04"), ts.turns, ts.onTime, ts.late,
			ts.unfinished, ts.retried, ts.firstStart.Sub(tick).Seconds(), ts.lastCommit.Sub(ts.firstStart).Seconds())
	}
	turns, busy := turnQueueBusy(b, e, first, end)
	turnsPerSec := 0.0
	if busy > 0 {
		turnsPerSec = float64(turns) / busy.Seconds()
	}
	// The lag has a floor (the table's "first"). River's scheduler moves
	// scheduled jobs to available every 5 s (a fixed interval); it looks 5 s
	// ahead, so a turn due at :00 is usually already available then (the
	// move of 10,000 jobs takes about half a second), and the turn queue
	// fetches it on its next poll (turnPollInterval, 100 ms); when a
	// scheduler pass misses the look-ahead the turn waits up to the next
	// pass, ~5 s. Beyond the floor, a tick's turns run at the backend's rate:
	// the engines' and the database's work, on the same cores here.
	pc := func(d []time.Duration, p float64) time.Duration {
		if len(d) == 0 {
			return 0
		}
		i := int(p*float64(len(d))+0.999999) - 1
		return d[min(max(i, 0), len(d)-1)]
	}
	slices.Sort(commitLags)
	slices.Sort(startLags)
	slices.Sort(runTimes)
	sec := func(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }
	fmt.Printf("  lag from tick (s)   %8s %8s %8s\n", "p50", "p99", "max")
	fmt.Printf("  to turn start       %8s %8s %8s\n", sec(pc(startLags, .5)), sec(pc(startLags, .99)), sec(pc(startLags, 1)))
	fmt.Printf("  to turn commit      %8s %8s %8s\n", sec(pc(commitLags, .5)), sec(pc(commitLags, .99)), sec(pc(commitLags, 1)))
	fmt.Printf("  turn run time (s)   %8s %8s %8s   (start to commit of one turn)\n",
		sec(pc(runTimes, .5)), sec(pc(runTimes, .99)), sec(pc(runTimes, 1)))
	fmt.Printf("  games on schedule (every measured tick's turn committed before the next tick): %d of %d\n", onSchedule, running)
	fmt.Printf("  throughput: %d turns (any tick, any trigger) committed %s .. %s, the turn queue busy for %.1f s of it: %.1f turns/s\n",
		turns, first.Format(time.TimeOnly), end.UTC().Format(time.TimeOnly), busy.Seconds(), turnsPerSec)
	fmt.Printf("  at that rate one minute tick holds about %.0f games (55 s after the lag floor)\n\n", turnsPerSec*55)
	return &schedResult{p99Lag: pc(commitLags, .99), onSchedule: onSchedule, turnsPerSec: turnsPerSec}
}

// turnQueueBusy counts the turn jobs committed in [from, to) and the time
// the turn queue was busy with them: the union of their start-to-commit
// intervals, gaps under a second (fetch cooldowns and polls) counted as
// busy. Under load that is the whole window; with spare capacity it is the
// bursts after each tick, so turns/busy is the rate the backend sustains.
func turnQueueBusy(b *testing.B, e *benchEnv, from, to time.Time) (int, time.Duration) {
	b.Helper()
	rows, err := e.pool.Query(context.Background(), `
		SELECT attempted_at, finalized_at FROM river_job
		WHERE kind = 'runtime.turn' AND state = 'completed' AND finalized_at >= $1 AND finalized_at < $2
		ORDER BY attempted_at`, from, to)
	if err != nil {
		b.Fatal(err)
	}
	type span struct{ start, end time.Time }
	spans, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (span, error) {
		var sp span
		err := row.Scan(&sp.start, &sp.end)
		return sp, err
	})
	if err != nil {
		b.Fatal(err)
	}
	const gap = time.Second
	var busy time.Duration
	var cur span
	for i, sp := range spans {
		switch {
		case i == 0:
			cur = sp
		case sp.start.Sub(cur.end) > gap:
			busy += cur.end.Sub(cur.start)
			cur = sp
		case sp.end.After(cur.end):
			cur.end = sp.end
		}
	}
	if len(spans) > 0 {
		busy += cur.end.Sub(cur.start)
	}
	return len(spans), busy
}

// cpuSample is the machine's and this process's CPU time so far.
type cpuSample struct {
	at            time.Time
	total, idle   float64 // machine, clock ticks (/proc/stat)
	procUser, sys time.Duration
}

func readCPU() cpuSample {
	c := cpuSample{at: time.Now()}
	if data, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(data), "\n")
		for i, f := range strings.Fields(line)[1:] {
			v, _ := strconv.ParseFloat(f, 64)
			c.total += v
			if i == 3 || i == 4 { // idle, iowait
				c.idle += v
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		c.procUser = time.Duration(ru.Utime.Nano())
		c.sys = time.Duration(ru.Stime.Nano())
	}
	return c
}

// cpuSince describes the CPU use between s and now.
func cpuSince(s cpuSample) string {
	n := readCPU()
	wall := n.at.Sub(s.at).Seconds()
	machine := 0.0
	if d := n.total - s.total; d > 0 {
		machine = 100 * (1 - (n.idle-s.idle)/d)
	}
	proc := (n.procUser - s.procUser + n.sys - s.sys).Seconds() / wall
	return fmt.Sprintf("machine %.0f%% busy (all cores), this process %.2f cores (%.0f%% of it system time)",
		machine, proc, 100*(n.sys-s.sys).Seconds()/max((n.procUser-s.procUser+n.sys-s.sys).Seconds(), 1e-9))
}
