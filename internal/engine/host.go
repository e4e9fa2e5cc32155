package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
)

// op is one unit of work for the goroutine that owns the game.
type op struct {
	fn func()
	// readOnly ops (order checks) may run beside each other, never beside a
	// mutation: the rules package is not safe for concurrent writers.
	readOnly bool
	done     chan struct{}
}

// host owns the one game of this engine. Every access goes through ops
// executed by the loop goroutine (seed 002's control channel): mutations run
// one at a time, in arrival order; read-only ops run concurrently between
// mutations. The fields below the loop bookkeeping are touched only by the
// loop or by read-only ops while no mutation runs.
type host struct {
	log   *slog.Logger
	store stateStore

	ops      chan op
	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	readers  sync.WaitGroup

	g        *game.Game
	gameID   string
	initHash string
	// snapshot is the persisted state after g.Turn(); rollbacks restore it.
	snapshot []byte
	// initResp is the body answered to the init that created the state,
	// kept until the first turn runs.
	initResp []byte
	// lastTurn is the body answered for turn g.Turn(), nil at turn 0.
	lastTurn []byte
	// broken is set when a failed turn could not be rolled back; the engine
	// then refuses everything rather than serve a state it cannot vouch for.
	broken error
}

// errShuttingDown is answered to calls that arrive after Stop began.
var errShuttingDown = errs.E(errs.Unavailable, "engine is shutting down")

// newHost loads the persisted state, if any, and starts the loop.
func newHost(log *slog.Logger, store stateStore) (*host, error) {
	h := &host{
		log:   log,
		store: store,
		ops:   make(chan op),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	st, err := store.load()
	if err != nil {
		return nil, err
	}
	if st != nil {
		if err := h.restore(st); err != nil {
			return nil, fmt.Errorf("state file %s: %w", store.path(), err)
		}
		log.Info("state loaded", "game_id", h.gameID, "turn", h.g.Turn(), "saved_at", st.SavedAt)
	}
	go h.loop()
	return h, nil
}

// restore installs a state read from disk.
func (h *host) restore(st *stateFile) error {
	g, err := game.RestoreSnapshot(st.Snapshot)
	if err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	if g.Turn() != st.Turn {
		return fmt.Errorf("snapshot is at turn %d, file says %d", g.Turn(), st.Turn)
	}
	if len(st.LastTurn) > 0 {
		var last struct {
			Turn int `json:"turn"`
		}
		if err := json.Unmarshal(st.LastTurn, &last); err != nil || last.Turn != st.Turn {
			return fmt.Errorf("last_turn does not hold turn %d", st.Turn)
		}
	}
	h.install(g, st.GameID, st.InitHash, st.Snapshot, st.InitResponse, st.LastTurn)
	return nil
}

// install makes g the current game with its bookkeeping.
func (h *host) install(g *game.Game, gameID, initHash string, snapshot, initResp, lastTurn []byte) {
	h.g = g
	h.gameID = gameID
	h.initHash = initHash
	h.snapshot = snapshot
	h.initResp = initResp
	h.lastTurn = lastTurn
}

// loop is the only goroutine that mutates the game.
func (h *host) loop() {
	defer close(h.done)
	for {
		select {
		case o := <-h.ops:
			if o.readOnly {
				h.readers.Add(1)
				go func() {
					defer h.readers.Done()
					defer close(o.done)
					o.fn()
				}()
				continue
			}
			h.readers.Wait()
			o.fn()
			close(o.done)
		case <-h.quit:
			h.readers.Wait()
			return
		}
	}
}

// do hands fn to the loop and waits for it. Once the loop has accepted fn it
// runs to the end even if ctx ends meanwhile: a turn is never abandoned
// half-way, and its result is stored for the caller's retry.
func (h *host) do(ctx context.Context, readOnly bool, fn func()) error {
	o := op{fn: fn, readOnly: readOnly, done: make(chan struct{})}
	select {
	case h.ops <- o:
	case <-h.quit:
		return errShuttingDown
	case <-ctx.Done():
		return errs.Wrap(ctx.Err(), errs.Unavailable, "request ended before the engine took it")
	}
	select {
	case <-o.done:
		return nil
	case <-ctx.Done():
		return errs.Wrap(ctx.Err(), errs.Unavailable, "request ended while the engine worked; the result is kept for a retry")
	}
}

// stop refuses new ops, lets the running ones finish and waits for the loop
// to exit, or for ctx to end.
func (h *host) stop(ctx context.Context) error {
	h.stopOnce.Do(func() { close(h.quit) })
	select {
	case <-h.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("engine loop still busy: %w", ctx.Err())
	}
}

// Init initialises the engine (see initLocked) and returns the response body.
func (h *host) Init(ctx context.Context, req InitRequest) ([]byte, error) {
	var body []byte
	var err error
	if derr := h.do(ctx, false, func() { body, err = h.initLocked(req) }); derr != nil {
		return nil, derr
	}
	return body, err
}

// Turn runs or replays a turn (see turnLocked) and returns the response body.
func (h *host) Turn(ctx context.Context, req TurnRequest) ([]byte, error) {
	var body []byte
	var err error
	if derr := h.do(ctx, false, func() { body, err = h.turnLocked(req) }); derr != nil {
		return nil, derr
	}
	return body, err
}

// Check checks one race's orders against the current turn.
func (h *host) Check(ctx context.Context, req CheckRequest) (*CheckResponse, error) {
	var resp *CheckResponse
	var err error
	if derr := h.do(ctx, true, func() { resp, err = h.checkLocked(req) }); derr != nil {
		return nil, derr
	}
	return resp, err
}

// requestHash identifies an init request for idempotency. It hashes the
// decoded request re-encoded, so formatting differences do not matter.
func requestHash(req InitRequest) string {
	b, _ := json.Marshal(req) // cannot fail: plain data
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// initLocked creates or restores the game. On an engine that already holds a
// game, an identical request is answered with the stored response while no
// turn has run, and a request carrying exactly the current snapshot is
// answered with the current state (a backend re-attaching to an engine that
// kept its state); anything else is a conflict naming the current turn.
func (h *host) initLocked(req InitRequest) ([]byte, error) {
	if h.broken != nil {
		return nil, errs.Wrap(h.broken, errs.Internal, "engine state lost")
	}
	if req.GameID == "" {
		return nil, errs.E(errs.InvalidArgument, "game_id is required").WithDetail("field", "game_id")
	}
	hash := requestHash(req)
	if h.g != nil {
		switch {
		case req.GameID != h.gameID:
			return nil, errs.E(errs.Conflict, "engine already runs another game").
				WithDetail("game_id", h.gameID).WithDetail("current_turn", h.g.Turn())
		case hash == h.initHash && h.initResp != nil:
			return h.initResp, nil
		case len(req.Snapshot) > 0 && bytes.Equal(req.Snapshot, h.snapshot):
			return marshalBody(InitResponse{Turn: h.g.Turn(), Snapshot: h.snapshot, Reports: reportsOrEmpty(h.g.Reports())})
		default:
			return nil, errs.E(errs.Conflict, "engine already initialised with a different request").
				WithDetail("current_turn", h.g.Turn())
		}
	}

	start := time.Now()
	var g *game.Game
	var err error
	if len(req.Snapshot) > 0 {
		g, err = game.RestoreSnapshot(req.Snapshot)
		if err != nil {
			return nil, gameError(err, errs.InvalidArgument, "snapshot cannot be restored")
		}
	} else {
		if len(req.Races) == 0 {
			return nil, errs.E(errs.InvalidArgument, "races must not be empty without a snapshot").WithDetail("field", "races")
		}
		g, err = game.New(req.Seed, req.Settings, req.Races)
		if err != nil {
			return nil, gameError(err, errs.InvalidArgument, "game cannot be created")
		}
	}
	snap, err := g.MarshalSnapshot()
	if err != nil {
		return nil, errs.Wrap(err, errs.Internal, "marshal snapshot")
	}
	reports := reportsOrEmpty(g.Reports())
	body, err := marshalBody(InitResponse{Turn: g.Turn(), Snapshot: snap, Reports: reports})
	if err != nil {
		return nil, err
	}
	// A restored state past turn 0 gets its turn's result rebuilt, so that a
	// backend asking again for the turn it last stored is answered, not 409.
	var last []byte
	if g.Turn() > 0 {
		last, err = marshalBody(TurnResponse{Turn: g.Turn(), Snapshot: snap, Summary: g.Summary(), Reports: reports})
		if err != nil {
			return nil, err
		}
	}
	st := &stateFile{
		GameID: req.GameID, InitHash: hash, Turn: g.Turn(), SavedAt: time.Now().UTC(),
		Snapshot: snap, InitResponse: body, LastTurn: last,
	}
	if err := h.store.save(st); err != nil {
		h.log.Error("state cannot be saved", "game_id", req.GameID, "err", err)
		return nil, errs.Wrap(err, errs.Unavailable, "state cannot be saved")
	}
	h.install(g, req.GameID, hash, snap, body, last)
	h.log.Info("game initialised", "game_id", req.GameID, "turn", g.Turn(),
		"restored", len(req.Snapshot) > 0, "duration_ms", time.Since(start).Milliseconds())
	return body, nil
}

// turnLocked runs turn current+1, or replays the stored result of the turn
// just run. Any failure restores the last persisted state, so memory and disk
// never disagree about the current turn.
func (h *host) turnLocked(req TurnRequest) ([]byte, error) {
	if err := h.ready(); err != nil {
		return nil, err
	}
	cur := h.g.Turn()
	if req.Turn == cur && h.lastTurn != nil {
		return h.lastTurn, nil
	}
	if req.Turn != cur+1 {
		return nil, errs.E(errs.Conflict, "turn %d cannot run: the engine is at turn %d", req.Turn, cur).
			WithDetail("current_turn", cur)
	}
	if h.g.Summary().Finished {
		return nil, errs.E(errs.FailedPrecondition, "game is finished").
			WithDetail("current_turn", cur).WithDetail("finished", true)
	}
	start := time.Now()
	// The rules refuse misuse (unknown race ids, a finished game) with an
	// *errs.Error before touching the state; anything else is a bug there.
	res, err := h.g.Run(game.TurnInput{Orders: req.Orders, RefusedNames: req.RefusedNames})
	if err != nil {
		h.rollback()
		return nil, gameError(err, errs.Internal, "turn failed")
	}
	if res.Turn != cur+1 {
		h.rollback()
		return nil, errs.E(errs.Internal, "game ran turn %d instead of %d", res.Turn, cur+1)
	}
	snap, err := h.g.MarshalSnapshot()
	if err != nil {
		h.rollback()
		return nil, errs.Wrap(err, errs.Internal, "marshal snapshot")
	}
	body, err := marshalBody(TurnResponse{Turn: res.Turn, Snapshot: snap, Summary: res.Summary, Reports: reportsOrEmpty(res.Reports)})
	if err != nil {
		h.rollback()
		return nil, err
	}
	st := &stateFile{
		GameID: h.gameID, InitHash: h.initHash, Turn: res.Turn, SavedAt: time.Now().UTC(),
		Snapshot: snap, LastTurn: body,
	}
	if err := h.store.save(st); err != nil {
		h.log.Error("state cannot be saved; turn rolled back", "game_id", h.gameID, "turn", res.Turn, "err", err)
		h.rollback()
		return nil, errs.Wrap(err, errs.Unavailable, "state cannot be saved")
	}
	h.snapshot = snap
	h.lastTurn = body
	h.initResp = nil
	h.log.Info("turn ran", "game_id", h.gameID, "turn", res.Turn, "orders", len(req.Orders),
		"finished", res.Summary.Finished, "duration_ms", time.Since(start).Milliseconds())
	return body, nil
}

// checkLocked runs under a read-only op.
func (h *host) checkLocked(req CheckRequest) (*CheckResponse, error) {
	if err := h.ready(); err != nil {
		return nil, err
	}
	res, err := h.g.CheckOrders(req.RaceID, req.Text)
	if err != nil {
		return nil, gameError(err, errs.InvalidArgument, "orders cannot be checked")
	}
	mistakes := res.Errors
	if mistakes == nil {
		mistakes = []game.Mistake{} // the contract's errors is a list, never null
	}
	return &CheckResponse{Accepted: res.Accepted, Errors: mistakes, Forecast: res.Forecast}, nil
}

// ready reports whether the engine holds a usable game.
func (h *host) ready() error {
	if h.broken != nil {
		return errs.Wrap(h.broken, errs.Internal, "engine state lost")
	}
	if h.g == nil {
		return errs.E(errs.FailedPrecondition, "engine not initialised: call /admin/init first")
	}
	return nil
}

// rollback restores the last persisted snapshot after a failed turn, which
// may have left the game half-mutated.
func (h *host) rollback() {
	g, err := game.RestoreSnapshot(h.snapshot)
	if err != nil {
		h.broken = fmt.Errorf("rollback to turn snapshot: %w", err)
		h.log.Error("engine state lost: rollback failed", "game_id", h.gameID, "err", err)
		return
	}
	h.g = g
}

// gameError keeps an *errs.Error from the rules package as it is; any other
// error becomes code with msg, the rules' text kept as the message when the
// code is the caller's fault (the backend is a trusted caller and needs it),
// hidden otherwise.
func gameError(err error, code errs.Code, msg string) error {
	var e *errs.Error
	if errors.As(err, &e) {
		return e
	}
	if code == errs.Internal {
		return errs.Wrap(err, code, "%s", msg)
	}
	return errs.Wrap(err, code, "%s: %v", msg, err)
}

// reportsOrEmpty makes a nil map an empty JSON object.
func reportsOrEmpty(r map[string]game.Report) map[string]game.Report {
	if r == nil {
		return map[string]game.Report{}
	}
	return r
}

// marshalBody encodes a response body.
func marshalBody(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, errs.Wrap(err, errs.Internal, "encode response")
	}
	return b, nil
}
