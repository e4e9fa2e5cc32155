package inprocess

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/internal/keylock"
)

// Image is what Engine.Image says for an in-process engine: the engine code
// linked into the backend.
const Image = "inprocess"

// listenAddr keeps engines on loopback: only this process talks to them.
const listenAddr = "127.0.0.1:0"

// removeGrace is how long Remove lets an engine's loop finish the op it is
// running before its state directory is deleted. Remove is not graceful (the
// game is over), but a goroutine cannot be killed like a container.
const removeGrace = 5 * time.Second

// killedExitCode is reported when an engine did not stop within the stop
// timeout, as Docker reports a container it had to SIGKILL.
const killedExitCode = 137

// crashedExitCode is reported when an engine's listener failed while running.
const crashedExitCode = 1

// errClosed is returned by every call after Close.
var errClosed = errs.E(errs.Unavailable, "inprocess engine driver is closed")

// Driver runs engines inside the backend process. Create it with New.
type Driver struct {
	cfg      Config
	log      *slog.Logger
	baseDir  string
	ownsBase bool
	locks    keylock.Locks
	seq      atomic.Uint64

	mu     sync.Mutex // guards closed, games and every instance's fields
	closed bool
	games  map[string]*instance
}

// instance is the engine of one game: running while srv is set.
type instance struct {
	gameID     string
	id         string
	token      string
	srv        *engine.Server
	endpoint   string
	startedAt  time.Time
	finishedAt time.Time
	exitCode   int
}

var _ driver.Driver = (*Driver)(nil)

// New returns a driver over cfg. It creates the state directory, or a
// private temporary one when none is configured.
func New(cfg Config) (*Driver, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	d := &Driver{cfg: cfg, log: cfg.Logger.With("driver", driver.KindInprocess), games: make(map[string]*instance)}
	if cfg.StateDir == "" {
		d.baseDir, err = os.MkdirTemp("", "galaxy-inprocess-*")
		d.ownsBase = true
	} else {
		d.baseDir = cfg.StateDir
		err = os.MkdirAll(cfg.StateDir, 0o750)
	}
	if err != nil {
		return nil, fmt.Errorf("inprocess driver: state dir: %w", err)
	}
	return d, nil
}

// Kind implements driver.Driver.
func (d *Driver) Kind() string { return driver.KindInprocess }

// Ping implements driver.Driver: an open driver can always run engines.
func (d *Driver) Ping(context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return errClosed
	}
	return nil
}

// Start implements driver.Driver.
func (d *Driver) Start(ctx context.Context, spec driver.Spec) (driver.Engine, error) {
	if err := spec.Validate(); err != nil {
		return driver.Engine{}, err
	}
	unlock, err := d.lock(ctx, spec.GameID)
	if err != nil {
		return driver.Engine{}, err
	}
	defer unlock()

	d.mu.Lock()
	cur := d.games[spec.GameID]
	running := cur != nil && cur.srv != nil
	adopt := running && cur.token == spec.Token
	d.mu.Unlock()
	if adopt {
		return d.view(cur), nil
	}
	if running {
		// Another token: the engine cannot be told, so it is replaced over
		// its state, as the docker driver recreates the container.
		d.log.Info("engine token changed; restarting the engine", "game_id", spec.GameID)
		d.stop(ctx, cur)
	}

	srv, err := engine.NewServer(engine.Config{
		Addr:     listenAddr,
		Token:    spec.Token,
		StateDir: d.stateDir(spec.GameID),
		Logger:   d.cfg.Logger.With("engine", driver.EngineName(spec.GameID)),
	})
	if err != nil {
		// An unreadable state file: the engine refuses rather than lose a game.
		return driver.Engine{}, errs.Wrap(err, errs.Internal, "engine of game %s cannot start", spec.GameID)
	}
	if err := srv.Start(ctx); err != nil {
		return driver.Engine{}, errs.Wrap(err, errs.Unavailable, "engine of game %s cannot listen", spec.GameID)
	}
	inst := &instance{
		gameID:    spec.GameID,
		id:        fmt.Sprintf("inprocess-%s-%d", spec.GameID, d.seq.Add(1)),
		token:     spec.Token,
		srv:       srv,
		endpoint:  "http://" + srv.Addr(),
		startedAt: time.Now().UTC(),
	}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		d.stopServer(ctx, srv, removeGrace)
		return driver.Engine{}, errClosed
	}
	d.games[spec.GameID] = inst
	d.mu.Unlock()
	// The watch outlives this call: keep ctx's values, not its end.
	go d.watch(context.WithoutCancel(ctx), inst, srv)
	d.log.Info("engine started", "game_id", spec.GameID, "id", inst.id, "endpoint", inst.endpoint)
	return d.view(inst), nil
}

// Stop implements driver.Driver. The stop always completes within the stop
// timeout, even when ctx ends first: an engine left half-stopped inside the
// process would be worse than a late answer.
func (d *Driver) Stop(ctx context.Context, gameID string) error {
	if err := driver.ValidateGameID(gameID); err != nil {
		return err
	}
	unlock, err := d.lock(ctx, gameID)
	if err != nil {
		return err
	}
	defer unlock()
	d.mu.Lock()
	inst := d.games[gameID]
	d.mu.Unlock()
	if inst == nil {
		return errs.E(errs.NotFound, "game %s has no engine", gameID).WithDetail("game_id", gameID)
	}
	d.stop(ctx, inst)
	return nil
}

// Remove implements driver.Driver.
func (d *Driver) Remove(ctx context.Context, gameID string) error {
	if err := driver.ValidateGameID(gameID); err != nil {
		return err
	}
	unlock, err := d.lock(ctx, gameID)
	if err != nil {
		return err
	}
	defer unlock()
	d.mu.Lock()
	inst := d.games[gameID]
	var srv *engine.Server
	if inst != nil {
		srv = inst.srv
		inst.srv = nil
		delete(d.games, gameID)
	}
	d.mu.Unlock()
	if srv != nil {
		d.stopServer(ctx, srv, removeGrace)
	}
	// The directory may exist without an engine: a state left by an earlier
	// backend process, like a volume without its container.
	if err := removeAll(d.stateDir(gameID)); err != nil {
		return errs.Wrap(err, errs.Internal, "state of game %s cannot be removed", gameID)
	}
	if inst != nil {
		d.log.Info("engine removed", "game_id", gameID, "id", inst.id)
	}
	return nil
}

// Inspect implements driver.Driver.
func (d *Driver) Inspect(_ context.Context, gameID string) (driver.Engine, error) {
	if err := driver.ValidateGameID(gameID); err != nil {
		return driver.Engine{}, err
	}
	d.mu.Lock()
	closed, inst := d.closed, d.games[gameID]
	d.mu.Unlock()
	switch {
	case closed:
		return driver.Engine{}, errClosed
	case inst == nil:
		return driver.Engine{GameID: gameID, Name: driver.EngineName(gameID), Status: driver.StatusMissing}, nil
	}
	return d.view(inst), nil
}

// List implements driver.Driver: every engine started by this driver and not
// removed.
func (d *Driver) List(context.Context) ([]driver.Engine, error) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil, errClosed
	}
	insts := make([]*instance, 0, len(d.games))
	for _, inst := range d.games {
		insts = append(insts, inst)
	}
	d.mu.Unlock()
	out := make([]driver.Engine, 0, len(insts))
	for _, inst := range insts {
		out = append(out, d.view(inst))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GameID < out[j].GameID })
	return out, nil
}

// Close implements driver.Driver: every running engine is stopped
// gracefully, all at once, within ctx and the stop timeout; a private state
// directory is deleted.
func (d *Driver) Close(ctx context.Context) error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	insts := make([]*instance, 0, len(d.games))
	for _, inst := range d.games {
		insts = append(insts, inst)
	}
	d.mu.Unlock()

	var wg sync.WaitGroup
	for _, inst := range insts {
		wg.Go(func() { d.stopWithin(ctx, inst) })
	}
	wg.Wait()
	if d.ownsBase {
		if err := removeAll(d.baseDir); err != nil {
			return fmt.Errorf("inprocess driver: remove state dir: %w", err)
		}
	}
	return nil
}

// lock serialises the operations on one game and refuses them after Close.
func (d *Driver) lock(ctx context.Context, gameID string) (func(), error) {
	unlock, err := d.locks.Lock(ctx, gameID)
	if err != nil {
		return nil, errs.Wrap(err, errs.Unavailable, "waiting for another operation on the engine of game %s", gameID)
	}
	d.mu.Lock()
	closed := d.closed
	d.mu.Unlock()
	if closed {
		unlock()
		return nil, errClosed
	}
	return unlock, nil
}

// stop stops inst gracefully within the stop timeout, whatever ctx says.
func (d *Driver) stop(ctx context.Context, inst *instance) {
	d.stopWithin(context.WithoutCancel(ctx), inst)
}

// stopWithin stops inst gracefully within the stop timeout and ctx, and
// records how it ended.
func (d *Driver) stopWithin(ctx context.Context, inst *instance) {
	d.mu.Lock()
	srv := inst.srv
	d.mu.Unlock()
	if srv == nil {
		return
	}
	code := 0
	if !d.stopServer(ctx, srv, d.cfg.StopTimeout) {
		code = killedExitCode
	}
	d.mu.Lock()
	if inst.srv == srv {
		inst.srv = nil
		inst.endpoint = ""
		inst.finishedAt = time.Now().UTC()
		inst.exitCode = code
	}
	d.mu.Unlock()
	d.log.Info("engine stopped", "game_id", inst.gameID, "id", inst.id, "exit_code", code)
}

// stopServer stops srv within timeout and ctx and reports whether it stopped
// cleanly; when it did not, its connections were closed regardless.
func (d *Driver) stopServer(ctx context.Context, srv *engine.Server, timeout time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := srv.Stop(ctx); err != nil {
		d.log.Warn("engine did not stop cleanly", "err", err)
		return false
	}
	return true
}

// watch marks inst exited if its server fails while running, as a crashed
// container shows up exited.
func (d *Driver) watch(ctx context.Context, inst *instance, srv *engine.Server) {
	err, failed := <-srv.Err()
	if !failed || err == nil {
		return // stopped on purpose
	}
	d.log.Error("engine failed", "game_id", inst.gameID, "id", inst.id, "err", err)
	d.mu.Lock()
	if inst.srv == srv {
		inst.srv = nil
		inst.endpoint = ""
		inst.finishedAt = time.Now().UTC()
		inst.exitCode = crashedExitCode
	}
	d.mu.Unlock()
	d.stopServer(ctx, srv, d.cfg.StopTimeout)
}

// view describes inst.
func (d *Driver) view(inst *instance) driver.Engine {
	d.mu.Lock()
	defer d.mu.Unlock()
	e := driver.Engine{
		GameID:     inst.gameID,
		ID:         inst.id,
		Name:       driver.EngineName(inst.gameID),
		Image:      Image,
		Status:     driver.StatusExited,
		State:      "exited",
		StartedAt:  inst.startedAt,
		FinishedAt: inst.finishedAt,
		ExitCode:   inst.exitCode,
	}
	if inst.srv != nil {
		e.Status, e.State, e.Endpoint = driver.StatusRunning, "running", inst.endpoint
	}
	return e
}

// stateDir is the directory of a game's state.
func (d *Driver) stateDir(gameID string) string {
	return filepath.Join(d.baseDir, driver.StateName(gameID))
}

// removeAll deletes dir, trying again once: an engine loop finishing its
// last write may add a file while the first pass runs.
func removeAll(dir string) error {
	if err := os.RemoveAll(dir); err == nil {
		return nil
	}
	return os.RemoveAll(dir)
}
