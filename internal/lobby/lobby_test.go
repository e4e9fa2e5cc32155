package lobby_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// nopRuntime and nopNotifier stand where the runtime and notification
// modules plug in; these tests look at the lobby's own state.
type nopRuntime struct{}

func (nopRuntime) StartTx(context.Context, pgx.Tx, string) error        { return nil }
func (nopRuntime) StopTx(context.Context, pgx.Tx, string, string) error { return nil }
func (nopRuntime) PauseTx(context.Context, pgx.Tx, string) error        { return nil }
func (nopRuntime) ResumeTx(context.Context, pgx.Tx, string) error       { return nil }

type nopNotifier struct{}

func (nopNotifier) NotifyTx(context.Context, pgx.Tx, lobby.Intent) error { return nil }

// noNames accepts every name: these tests exercise seats and statuses.
type noNames struct{}

func (noNames) Reserve(context.Context, pgx.Tx, string, string, string) (racenames.Binding, error) {
	return racenames.Binding{}, nil
}
func (noNames) Release(context.Context, pgx.Tx, string, string) error         { return nil }
func (noNames) ReleaseGame(context.Context, pgx.Tx, string) error             { return nil }
func (noNames) ReleaseAllByUser(context.Context, pgx.Tx, string) (int, error) { return 0, nil }
func (noNames) MarkPending(context.Context, pgx.Tx, string, time.Time, []string) error {
	return nil
}
func (noNames) HandOver(context.Context, pgx.Tx, string, string, string) (bool, error) {
	return false, nil
}

func newService(t *testing.T) (*lobby.Service, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.Pool(t)
	db := &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}
	return lobby.New(db, nil, noNames{}, nopNotifier{}, nopRuntime{}, slog.New(slog.NewTextHandler(io.Discard, nil))), pool
}

func addUser(t *testing.T, pool *pgxpool.Pool, id string) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `INSERT INTO users (user_id, email, display_name) VALUES ($1, $1 || '@example.com', $1)`, id); err != nil {
		t.Fatal(err)
	}
}

func newGame(t *testing.T, s *lobby.Service, owner string, minP, maxP int) lobby.Game {
	t.Helper()
	g, err := s.CreateGame(context.Background(), owner, lobby.NewGame{
		Name: "Andromeda", Visibility: "public", MinPlayers: minP, MaxPlayers: maxP,
		EnrollmentEndsAt: time.Now().Add(time.Hour), TurnSchedule: "0 18 * * *",
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestStateMachine(t *testing.T) {
	t.Parallel()
	legal := map[[2]string]bool{}
	for _, p := range [][2]string{
		{"enrollment_open", "ready"}, {"ready", "starting"}, {"start_failed", "starting"}, {"starting", "starting"},
		{"starting", "running"}, {"starting", "start_failed"}, {"running", "paused"}, {"paused", "running"},
		{"running", "finished"}, {"paused", "finished"},
		{"enrollment_open", "cancelled"}, {"ready", "cancelled"}, {"starting", "cancelled"}, {"running", "cancelled"},
		{"paused", "cancelled"}, {"start_failed", "cancelled"},
	} {
		legal[p] = true
	}
	for _, from := range lobby.AllStatuses {
		for _, to := range lobby.AllStatuses {
			want := legal[[2]string{from, to}]
			if got := lobby.CanTransition(from, to); got != want {
				t.Errorf("%s → %s: %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestCommandsRespectTheStateMachine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := newService(t)
	addUser(t, pool, "owner")
	g := newGame(t, s, "owner", 2, 4)

	illegal := []struct {
		name string
		run  func() error
	}{
		{"start before enrollment closed", func() error { _, err := s.Start(ctx, "owner", g.GameID); return err }},
		{"pause before running", func() error {
			_, err := s.Pause(ctx, "owner", lobby.Actor{Kind: "user", ID: "owner"}, g.GameID)
			return err
		}},
		{"resume before paused", func() error {
			_, err := s.Resume(ctx, "owner", lobby.Actor{Kind: "user", ID: "owner"}, g.GameID)
			return err
		}},
		{"runtime success before starting", func() error { _, err := s.OnRuntimeJobResult(ctx, g.GameID, true, ""); return err }},
	}
	for _, c := range illegal {
		t.Run("refuses "+c.name+" naming the status", func(t *testing.T) {
			err := c.run()
			e := errs.As(err)
			if e.Code != errs.FailedPrecondition || e.Details["current_status"] != "enrollment_open" {
				t.Fatalf("got %v", err)
			}
		})
	}
	t.Run("close enrollment needs min_players", func(t *testing.T) {
		_, err := s.CloseEnrollment(ctx, "owner", g.GameID)
		if !errs.Is(err, errs.FailedPrecondition) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("only the owner commands", func(t *testing.T) {
		addUser(t, pool, "stranger")
		_, err := s.CloseEnrollment(ctx, "stranger", g.GameID)
		if !errs.Is(err, errs.PermissionDenied) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a stuck start may be re-issued, then runtime results apply once", func(t *testing.T) {
		if _, err := pool.Exec(ctx, "UPDATE games SET approved_count = 2 WHERE game_id = $1", g.GameID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CloseEnrollment(ctx, "owner", g.GameID); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if st, err := s.Start(ctx, "owner", g.GameID); err != nil || st.Status != lobby.StatusStarting {
				t.Fatalf("%v %v", st.Status, err)
			}
		}
		if st, err := s.OnRuntimeJobResult(ctx, g.GameID, true, "engine up"); err != nil || st.Status != lobby.StatusRunning {
			t.Fatalf("%v %v", st.Status, err)
		}
		if _, err := s.OnRuntimeJobResult(ctx, g.GameID, false, "late failure"); !errs.Is(err, errs.FailedPrecondition) {
			t.Fatalf("a second result must not apply: %v", err)
		}
		var n int
		_ = pool.QueryRow(ctx, "SELECT count(*) FROM lobby_game_events WHERE game_id = $1", g.GameID).Scan(&n)
		if n != 5 { // created, ready, starting, starting, running
			t.Fatalf("%d history rows", n)
		}
	})
}

// TestSeatsUnderRace approves many applications at once: max_players is
// never exceeded.
func TestSeatsUnderRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := newService(t)
	addUser(t, pool, "owner")
	g := newGame(t, s, "owner", 2, 3)
	const applicants = 12
	apps := make([]string, applicants)
	for i := range applicants {
		u := fmt.Sprintf("player%02d", i)
		addUser(t, pool, u)
		a, err := s.Apply(ctx, u, g.GameID, "Race"+u)
		if err != nil {
			t.Fatal(err)
		}
		apps[i] = a.ApplicationID
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	approved, full := 0, 0
	for _, id := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Approve(ctx, "owner", g.GameID, id)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				approved++
			case errs.Is(err, errs.Conflict):
				full++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}()
	}
	wg.Wait()
	var count, members int
	_ = pool.QueryRow(ctx, "SELECT approved_count FROM games WHERE game_id = $1", g.GameID).Scan(&count)
	_ = pool.QueryRow(ctx, "SELECT count(*) FROM memberships WHERE game_id = $1 AND status = 'active'", g.GameID).Scan(&members)
	if approved != 3 || full != applicants-3 || count != 3 || members != 3 {
		t.Fatalf("approved %d, full %d, approved_count %d, members %d", approved, full, count, members)
	}
}

func TestSweepAndExtend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := newService(t)
	addUser(t, pool, "owner")
	full := newGame(t, s, "owner", 2, 4)
	short := newGame(t, s, "owner", 2, 4)
	if _, err := pool.Exec(ctx, `UPDATE games SET enrollment_ends_at = now() - interval '1 minute',
		approved_count = CASE WHEN game_id = $1 THEN 2 ELSE 1 END WHERE game_id IN ($1, $2)`, full.GameID, short.GameID); err != nil {
		t.Fatal(err)
	}
	closed, shortN, err := s.SweepEnrollments(ctx)
	if err != nil || closed != 1 || shortN != 1 {
		t.Fatalf("closed %d short %d (%v)", closed, shortN, err)
	}
	if g, _ := s.GetGame(ctx, "owner", full.GameID); g.Status != lobby.StatusReady {
		t.Fatalf("the full game is %s", g.Status)
	}
	g, err := s.ExtendEnrollment(ctx, "owner", short.GameID, time.Now().Add(24*time.Hour))
	if err != nil || g.Status != lobby.StatusEnrollmentOpen || time.Until(g.EnrollmentEndsAt) < 23*time.Hour {
		t.Fatalf("%+v %v", g, err)
	}
	if closed, shortN, _ := s.SweepEnrollments(ctx); closed+shortN != 0 {
		t.Fatal("an extended game was swept again")
	}
	if _, err := s.ExtendEnrollment(ctx, "owner", full.GameID, time.Now().Add(time.Hour)); !errs.Is(err, errs.FailedPrecondition) {
		t.Fatalf("extending a closed enrollment: %v", err)
	}
}
