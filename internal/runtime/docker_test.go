package runtime

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/moby/moby/client"

	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/docker"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/docker/dockertest"
)

// TestDockerRuntimeCycle plays a game on the real Docker Engine of this
// machine, with the engine image built FROM scratch for the run: start,
// turns, docker kill mid-game and recovery by the reconciler from the last
// snapshot, a lost record adopted, an unknown labelled container removed,
// then stop and removal with the engine's volume. It skips only when no
// Docker daemon answers.
func TestDockerRuntimeCycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	de := dockertest.New(t)
	drv, err := docker.New(docker.Config{Image: de.Image, Labels: de.Labels()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = drv.Close(context.Background()) })
	e := newEnvWith(t, pgtest.Pool(t), drv)
	s := e.s

	// Races that send no orders are not dropped while the test runs.
	gameID, _ := e.startGame(t, 2, `{"idle_turns_limit": 100}`)
	rec, err := s.Record(ctx, gameID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := de.Cli.ContainerInspect(ctx, driver.EngineName(gameID), client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctr := res.Container
	if rec.Driver != driver.KindDocker || rec.ContainerID != ctr.ID || !ctr.State.Running ||
		ctr.Config.Labels["galaxy.backend"] != "1" || ctr.Config.Labels["galaxy.game_id"] != gameID {
		t.Fatalf("record %+v, container %s labels %v running %v", rec, ctr.ID, ctr.Config.Labels, ctr.State.Running)
	}

	t.Log("turns")
	for want := 1; want <= 2; want++ {
		if turn, err := s.ForceNextTurn(ctx, gameID); err != nil || turn != want {
			t.Fatalf("force turn %d: %d, %v", want, turn, err)
		}
	}
	if res, err := s.SubmitOrders(ctx, gameID, "p1", 3, designOrder, false); err != nil || !res.Accepted {
		t.Fatalf("orders: %+v, %v", res, err)
	}

	t.Log("docker kill mid-game")
	if _, err := de.Cli.ContainerKill(ctx, rec.ContainerID, client.ContainerKillOptions{Signal: "KILL"}); err != nil {
		t.Fatalf("docker kill: %v", err)
	}
	e.waitFor(t, "the killed engine seen exited", func() bool {
		eng, err := drv.Inspect(ctx, gameID)
		return err == nil && eng.Status == driver.StatusExited
	})
	rep, err := s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Replaced, []string{gameID}) || len(rep.Errors) > 0 {
		t.Fatalf("reconcile after the kill = %+v", rep)
	}
	replaced := waitRunning(t, e, gameID)
	if replaced.ContainerID == rec.ContainerID || replaced.CurrentTurn != 2 {
		t.Fatalf("after the kill: record %+v, want a new container at turn 2", replaced)
	}
	if turn, err := s.ForceNextTurn(ctx, gameID); err != nil || turn != 3 {
		t.Fatalf("force turn 3 after the kill: %d, %v", turn, err)
	}
	if r, err := s.Reports(ctx, gameID, "p1", 3); err != nil || !strings.Contains(r.Text, "Colonist") {
		t.Fatalf("turn 3 lost the orders sent before the kill: %v\n%s", err, r.Text)
	}

	t.Log("a labelled container without a record")
	e.exec(t, `DELETE FROM runtime_records WHERE game_id = $1`, gameID)
	orphan := "dk-orphan-" + dockertest.RandomHex(4)
	if _, err := drv.Start(ctx, driver.Spec{GameID: orphan, Token: dockertest.RandomHex(16)}); err != nil {
		t.Fatal(err)
	}
	rep, err = s.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Adopted, []string{gameID}) || !slices.Equal(rep.Removed, []string{orphan}) || len(rep.Errors) > 0 {
		t.Fatalf("reconcile of unrecorded containers = %+v", rep)
	}
	if eng, err := drv.Inspect(ctx, orphan); err != nil || eng.Status != driver.StatusMissing {
		t.Fatalf("container of an unknown game after the pass: %+v, %v", eng, err)
	}
	adopted := waitRunning(t, e, gameID)
	if adopted.CurrentTurn != 3 {
		t.Fatalf("adopted record %+v, want turn 3", adopted)
	}
	if turn, err := s.ForceNextTurn(ctx, gameID); err != nil || turn != 4 {
		t.Fatalf("force turn 4 on the adopted game: %d, %v", turn, err)
	}

	t.Log("stop, then remove")
	if err := postgres.InTx(ctx, e.pool, func(ctx context.Context, tx pgx.Tx) error {
		return s.StopTx(ctx, tx, gameID, "maintenance")
	}); err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, "the engine stopped", func() bool {
		r, err := s.Record(ctx, gameID)
		return err == nil && r.Status == StatusStopped
	})
	if eng, err := drv.Inspect(ctx, gameID); err != nil || eng.Status != driver.StatusExited {
		t.Fatalf("stopped engine: %+v, %v", eng, err)
	}
	if _, err := e.lobby.Cancel(ctx, "owner", lobby.Actor{Kind: "user", ID: "owner"}, gameID, "test over"); err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, "the engine removed", func() bool {
		r, err := s.Record(ctx, gameID)
		return err == nil && r.Status == StatusRemoved
	})
	if _, err := de.Cli.ContainerInspect(ctx, driver.EngineName(gameID), client.ContainerInspectOptions{}); err == nil {
		t.Fatal("the container of the cancelled game still exists")
	}
	vols, err := de.Cli.VolumeList(ctx, client.VolumeListOptions{Filters: client.Filters{}.Add("label", "galaxy.game_id="+gameID)})
	if err != nil || len(vols.Items) != 0 {
		t.Fatalf("volumes of the cancelled game: %+v, %v", vols.Items, err)
	}
}

// waitRunning waits until the game's record is running again and returns it.
func waitRunning(t *testing.T, e *env, gameID string) Record {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		r, err := e.s.Record(context.Background(), gameID)
		if err == nil && r.Status == StatusRunning {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("record of %s still %+v (%v)", gameID, r, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
