package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/inprocess"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type nopNotifier struct{}

func (nopNotifier) NotifyTx(context.Context, pgx.Tx, lobby.Intent) error { return nil }

// env is a runtime wired as the app wires it: real Postgres, a working
// River client, the real lobby and Race Name Directory, inprocess engines.
type env struct {
	s     *Service
	lobby *lobby.Service
	pool  *pgxpool.Pool
	drv   driver.Driver
	jc    *jobs.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, pgtest.Pool(t), newInprocess(t))
}

// newInprocess returns an inprocess driver closed when the test ends.
func newInprocess(t testing.TB) driver.Driver {
	t.Helper()
	drv, err := inprocess.New(inprocess.Config{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = drv.Close(ctx)
	})
	return drv
}

// newEnvWith wires a runtime over pool and drv. Several envs over one pool
// are several backend replicas. The reconciler runs only when a test calls
// Reconcile, unless a tune sets Config.ReconcileInterval.
func newEnvWith(t testing.TB, pool *pgxpool.Pool, drv driver.Driver, tune ...func(*Config)) *env {
	t.Helper()
	db := &postgres.DB{Pool: pool, OperationTimeout: 30 * time.Second}
	logger := slog.New(slog.DiscardHandler)
	cfg := Config{RetryBaseDelay: 50 * time.Millisecond, RetryMaxDelay: time.Second, HealthTimeout: 30 * time.Second,
		ReconcileInterval: -1, HealthFailures: 2}
	for _, f := range tune {
		f(&cfg)
	}
	jc, err := jobs.New(pool, config.Jobs{MaxWorkers: 4, FetchCooldown: 20 * time.Millisecond,
		SoftStopTimeout: 5 * time.Second, RescueStuckAfter: 10 * time.Minute}, jobs.Options{Queues: Queues(cfg)}, logger)
	if err != nil {
		t.Fatal(err)
	}
	listener := pgnotify.NewListener(pool, logger)
	if err := listener.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = listener.Stop(context.Background()) })
	s := New(db, drv, jc, listener, cfg, logger)
	if err := s.Cache().Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.RegisterWorkers(jc)
	l := lobby.New(db, jc.River(), racenames.New(), nopNotifier{}, s, logger)
	s.SetLobby(l)
	if err := jc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = jc.Stop(ctx)
	})
	return &env{s: s, lobby: l, pool: pool, drv: drv, jc: jc}
}

func (e *env) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

var raceNamesForTests = []string{"Andorians", "Betazoids", "Cardassians", "Denobulans", "Ferengi", "Gorn",
	"Horta", "Iconians", "JemHadar", "Kazon"}

// startGame creates a game whose players are p1..pN (race names from
// raceNamesForTests, reserved in the directory as the lobby would), makes
// it ready, starts it through the lobby and waits until it runs.
func (e *env) startGame(t *testing.T, players int, settings string) (gameID string, userIDs []string) {
	t.Helper()
	ctx := context.Background()
	e.exec(t, `INSERT INTO users (user_id, email, display_name) VALUES ('owner', 'owner@example.com', 'owner')`)
	g, err := e.lobby.CreateGame(ctx, "owner", lobby.NewGame{
		Name: "Andromeda", Visibility: "public", MinPlayers: 2, MaxPlayers: max(players, 2),
		EnrollmentEndsAt: time.Now().Add(time.Hour),
		// Once a year: scheduled ticks never fire during a test.
		TurnSchedule: "0 0 1 1 *", Settings: json.RawMessage(settings),
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := racenames.New()
	for i := range players {
		id := fmt.Sprintf("p%d", i+1)
		userIDs = append(userIDs, id)
		e.exec(t, `INSERT INTO users (user_id, email, display_name) VALUES ($1, $1 || '@example.com', $1)`, id)
		err := postgres.InTx(ctx, e.pool, func(ctx context.Context, tx pgx.Tx) error {
			if _, err := dir.Reserve(ctx, tx, id, g.GameID, raceNamesForTests[i]); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO memberships (game_id, user_id, race_id, race_name, status) VALUES ($1, $2, $2, $3, 'active')`,
				g.GameID, id, raceNamesForTests[i])
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	e.exec(t, `UPDATE games SET status = 'ready', approved_count = $2 WHERE game_id = $1`, g.GameID, players)
	if _, err := e.lobby.Start(ctx, "owner", g.GameID); err != nil {
		t.Fatal(err)
	}
	e.waitStatus(t, g.GameID, lobby.StatusRunning)
	return g.GameID, userIDs
}

// waitStatus waits until the lobby shows the game in status.
func (e *env) waitStatus(t *testing.T, gameID, status string) {
	t.Helper()
	e.waitFor(t, "game "+status, func() bool {
		var got string
		if err := e.pool.QueryRow(context.Background(), `SELECT status FROM games WHERE game_id = $1`, gameID).Scan(&got); err != nil {
			t.Fatal(err)
		}
		return got == status
	})
}

func (e *env) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (e *env) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}
