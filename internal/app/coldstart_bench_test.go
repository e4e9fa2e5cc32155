package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

// BenchmarkColdStart prints the time from starting the backend (App.Run,
// the path `galaxy` takes) until GET /readyz answers 200, on a database
// holding a platform of the sub-benchmark's size (goal at 100,000 users and
// 10,000 games: < 3 s), next to the same on an empty database, measured
// alternately in the same run. It also prints the CPU time the process
// spent until ready (a figure the machine's load hardly moves) and the
// start-up time of the components that read the database (the caches'
// warm-up, the migrations check), taken from the start-up log, at the
// platform's size.
func BenchmarkColdStart(b *testing.B) {
	for _, size := range []struct{ users, games int }{{10_000, 1_000}, {100_000, 10_000}, {400_000, 40_000}} {
		b.Run(fmt.Sprintf("users=%d,games=%d", size.users, size.games), func(b *testing.B) {
			seeded := pgtest.DSN(b)
			seedPlatform(b, seeded, size.users, size.games)
			var full, empty, fullCPU time.Duration
			components := map[string]time.Duration{}
			for b.Loop() {
				b.StopTimer()
				dsn := cloneDatabase(b, seeded)
				emptyDSN := pgtest.DSN(b)
				served(b, dsn)
				served(b, emptyDSN)
				b.StartTimer()
				took, cpu, logs := coldStart(b, dsn)
				full, fullCPU = full+took, fullCPU+cpu
				for name, d := range componentDurations(b, logs) {
					components[name] += d
				}
				took, _, _ = coldStart(b, emptyDSN)
				empty += took
			}
			n := float64(b.N)
			b.ReportMetric(float64(full.Milliseconds())/n, "ms-to-ready")
			b.ReportMetric(float64(fullCPU.Milliseconds())/n, "cpu-ms-to-ready")
			b.ReportMetric(float64(empty.Milliseconds())/n, "empty-ms-to-ready")
			for name, d := range components {
				if strings.HasPrefix(name, "cache:") || name == "migrations" {
					b.ReportMetric(float64(d.Microseconds())/1000/n, name+"-ms")
				}
			}
		})
	}
}

// coldStart runs the backend on the database at dsn until /readyz answers
// 200, and returns how long that took, the CPU time the process used
// meanwhile, and the start-up log. The backend is stopped before it
// returns; its shutdown is not timed.
func coldStart(b *testing.B, dsn string) (took, cpu time.Duration, logs []byte) {
	b.Helper()
	cfg := testConfig(b)
	cfg.Postgres.DSN = dsn
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// The address is known once the listener is bound (port 0: a port
	// chosen beforehand may be taken by then, by this very backend's other
	// listeners); /readyz is asked from then on.
	bound := make(chan Endpoints, 1)
	begin, cpu0 := time.Now(), processCPU(b)
	go func() {
		done <- New(cfg, telemetry.NewLogger(out, "info"), Options{OnReady: func(ep Endpoints) { bound <- ep }}).Run(ctx)
	}()
	var readyz string
	select {
	case ep := <-bound:
		readyz = "http://" + ep.HTTP.String() + "/readyz"
	case err := <-done:
		cancel()
		b.Fatalf("backend ended before ready: %v\n%s", err, errorLines(out.String()))
	}
	client := &http.Client{Timeout: time.Second}
	for took == 0 {
		resp, err := client.Get(readyz)
		if err != nil {
			b.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			took, cpu = time.Since(begin), processCPU(b)-cpu0
		} else {
			time.Sleep(2 * time.Millisecond)
		}
	}
	b.StopTimer()
	cancel()
	if err := <-done; err != nil {
		b.Errorf("shutdown: %v\n%s", err, errorLines(out.String()))
	}
	b.StartTimer()
	return took, cpu, []byte(out.String())
}

// processCPU is the CPU time this process has used: the start-up's own
// work, which the machine's load hardly changes (PostgreSQL's is not in it).
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// errorLines are the error records of a log.
func errorLines(logs string) string {
	var out []string
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, `"level":"ERROR"`) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// componentDurations reads "component started" lines of a start-up log.
func componentDurations(b *testing.B, logs []byte) map[string]time.Duration {
	b.Helper()
	out := map[string]time.Duration{}
	for _, line := range bytes.Split(logs, []byte("\n")) {
		var rec struct {
			Msg       string `json:"msg"`
			Component string `json:"component"`
			Duration  string `json:"duration"`
		}
		if json.Unmarshal(line, &rec) != nil || rec.Msg != "component started" {
			continue
		}
		d, err := time.ParseDuration(rec.Duration)
		if err != nil {
			b.Fatalf("%s: %v", line, err)
		}
		out[rec.Component] = d
	}
	return out
}

// served connects to the database at dsn once. The backend restarts
// against a database that has served connections before; the first
// connection to a new database builds its catalog cache file, tens of
// milliseconds that a cold start of the backend does not pay.
func served(b *testing.B, dsn string) {
	b.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), "SELECT count(*) FROM backend.users"); err != nil {
		b.Fatal(err)
	}
	_ = conn.Close(context.Background())
}

// cloneDatabase copies the database at dsn (no one may be connected to it)
// into a new one, dropped when b ends, and returns the copy's DSN.
func cloneDatabase(b *testing.B, dsn string) string {
	b.Helper()
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		b.Fatal(err)
	}
	source := cfg.Database
	cfg.Database = "postgres"
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("%s_c%d", source, time.Now().UnixNano())
	create := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{source}.Sanitize()
	for attempt := 1; ; attempt++ {
		_, err := admin.Exec(ctx, create)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "55006" && attempt < 50 { // object_in_use
			// The source's last session (a closed pool's) is still ending.
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		break
	}
	b.Cleanup(func() {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			b.Error(err)
		}
	})
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	return dsn + " dbname=" + name // in key=value form the last occurrence wins
}

// seedPlatform fills the database at dsn, in bulk, with a platform of
// users and games as a live one looks: some users blocked, a quarter of
// them with a live session and as many with expired or revoked ones; games
// in every status (45 % finished, 23 % under way, 17 % enrolling, the rest
// cancelled, ready or failed), 70 % public, with 2–16 members each (the
// ones enrolling with half their seats taken), some races looking for a
// substitute, and the runtime records of every started game.
func seedPlatform(b *testing.B, dsn string, users, games int) {
	b.Helper()
	ctx := context.Background()
	pool := pgtest.PoolFor(b, dsn)
	defer pool.Close()
	// $1 is the number of users, $2 of games.
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{sql: `INSERT INTO users (user_id, email, display_name, timezone, country, status, block_reason, blocked_at,
		                    created_at, last_seen_at)
		 SELECT 'usr_seed' || lpad(i::text, 7, '0'), 'player' || i || '@example.com', 'Player ' || i,
		        (ARRAY['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'])[1 + i % 5],
		        (ARRAY['DE', 'US', 'JP', 'AU', 'GB', 'FR', ''])[1 + i % 7],
		        CASE WHEN i % 200 = 0 THEN 'blocked' ELSE 'active' END,
		        CASE WHEN i % 200 = 0 THEN 'spam' END,
		        CASE WHEN i % 200 = 0 THEN now() - interval '3 days' END,
		        now() - (i % 730) * interval '1 day' - i * interval '1 second',
		        CASE WHEN i % 5 < 3 THEN now() - (i % 90) * interval '1 day' END
		 FROM generate_series(1, $1::int) AS i`, args: []any{users}},
		// Half as many sessions as users: a quarter revoked, a quarter
		// expired, half live.
		{sql: `INSERT INTO sessions (session_id, user_id, token_hash, created_at, expires_at, last_used_at, revoked_at,
		                       revoke_reason, client_ip, user_agent)
		 SELECT 'ses_seed' || i, 'usr_seed' || lpad((1 + (i * 7) % $1::int)::text, 7, '0'),
		        sha256(('seed-token-' || i)::bytea), now() - (i % 40) * interval '1 day',
		        CASE WHEN i % 4 = 1 THEN now() - interval '1 day' ELSE now() + (1 + i % 29) * interval '1 day' END,
		        now() - (i % 40) * interval '1 hour',
		        CASE WHEN i % 4 = 0 THEN now() - interval '2 days' END,
		        CASE WHEN i % 4 = 0 THEN 'signed out' END,
		        '192.0.2.' || (i % 250), 'Mozilla/5.0 (seed)'
		 FROM generate_series(1, $1::int / 2) AS i`, args: []any{users}},
		{sql: `INSERT INTO games (game_id, name, description, visibility, owner_user_id, status, min_players, max_players,
		                    approved_count, enrollment_ends_at, turn_schedule, seed, current_turn, next_turn_at,
		                    created_at, started_at, finished_at)
		 SELECT 'gam_seed' || lpad(i::text, 6, '0'), 'Game ' || i, 'A seeded game', 
		        CASE WHEN i % 10 < 7 THEN 'public' ELSE 'private' END,
		        'usr_seed' || lpad((1 + (i * 7919) % $1::int)::text, 7, '0'), s.status, 2, 16,
		        CASE WHEN s.status = 'enrollment_open' THEN (2 + i % 15) / 2 ELSE 2 + i % 15 END,
		        now() + interval '2 days', '0 18 * * *', i,
		        CASE WHEN s.status IN ('running', 'paused', 'finished') THEN 1 + i % 60 ELSE 0 END,
		        CASE WHEN s.status = 'running' THEN now() + (i % 24) * interval '1 hour' END,
		        now() - (i % 400) * interval '1 day' - i * interval '1 second',
		        CASE WHEN s.status IN ('running', 'paused', 'finished') THEN now() - (i % 300) * interval '1 day' END,
		        CASE WHEN s.status = 'finished' THEN now() - (i % 100) * interval '1 day' END
		 FROM generate_series(1, $2::int) AS i,
		      LATERAL (SELECT CASE WHEN i % 100 < 45 THEN 'finished' WHEN i % 100 < 65 THEN 'running'
		                           WHEN i % 100 < 80 THEN 'enrollment_open' WHEN i % 100 < 88 THEN 'cancelled'
		                           WHEN i % 100 < 91 THEN 'paused' WHEN i % 100 < 94 THEN 'ready'
		                           WHEN i % 100 < 95 THEN 'start_failed' ELSE 'enrollment_open' END AS status) AS s`, args: []any{users, games}},
		// approved_count seats per game, each a distinct user (4729 and the
		// user count are coprime for the sizes used).
		{sql: `INSERT INTO memberships (game_id, user_id, race_id, race_name, status, joined_at, left_at, substitute_wanted)
		 SELECT g.game_id, u.id, u.id, 'Race' || k, 
		        CASE WHEN g.status = 'finished' THEN 'ended' WHEN k = 1 AND g.seed % 7 = 0 THEN 'left' ELSE 'active' END,
		        g.created_at, CASE WHEN g.status = 'finished' THEN g.finished_at END,
		        g.status IN ('running', 'paused') AND k = 2 AND g.seed % 20 = 0
		 FROM games g, generate_series(1, g.approved_count) AS k,
		      LATERAL (SELECT 'usr_seed' || lpad((1 + (g.seed * 7919 + k * 4729) % $1::int)::text, 7, '0') AS id) AS u
		 WHERE g.status <> 'cancelled'`, args: []any{users}},
		{sql: `INSERT INTO runtime_records (game_id, driver, container_id, endpoint, engine_token, status, current_turn, paused)
		 SELECT game_id, 'inprocess', 'inprocess-' || game_id, '', md5(game_id),
		        CASE status WHEN 'finished' THEN 'removed' WHEN 'start_failed' THEN 'failed' ELSE 'running' END,
		        current_turn, status = 'paused'
		 FROM games WHERE status IN ('running', 'paused', 'finished', 'start_failed')`},
		{sql: `ANALYZE`},
	} {
		if _, err := pool.Exec(ctx, stmt.sql, stmt.args...); err != nil {
			b.Fatalf("%v\n%s", err, stmt.sql)
		}
	}
}
