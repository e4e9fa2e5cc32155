package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// What asked for a turn.
const (
	// TriggerSchedule: the cron tick; it consumes the skip flag.
	TriggerSchedule = "schedule"
	// TriggerEarly: every active player sent final orders.
	TriggerEarly = "early"
	// TriggerForce: an admin's ForceNextTurn.
	TriggerForce = "force"
)

// TurnArgs is the runtime.turn job: run turn Turn of the game. It is unique
// per (game, turn, trigger) while live, so the schedule and an early turn
// may both ask for a turn, and the row-locked commit lets only one of them
// produce it.
type TurnArgs struct {
	GameID  string `json:"game_id" river:"unique"`
	Turn    int    `json:"turn" river:"unique"`
	Trigger string `json:"trigger" river:"unique"`
}

// Kind implements river.JobArgs.
func (TurnArgs) Kind() string { return "runtime.turn" }

type turnWorker struct {
	river.WorkerDefaults[TurnArgs]
	s *Service
}

func (s *Service) turnOpts() *river.InsertOpts {
	return &river.InsertOpts{Queue: QueueTurn, MaxAttempts: s.cfg.TurnMaxAttempts,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: liveStates}}
}

// engineTurnTimeout bounds the engine's turn below the job's timeout, so a
// slow turn fails in the client (and is retried) with time left to record
// it. A busy 25-race turn takes milliseconds.
const engineTurnTimeout = MaxJobTimeout - 30*time.Second

// Timeout implements river.Worker.
func (w *turnWorker) Timeout(*river.Job[TurnArgs]) time.Duration { return MaxJobTimeout }

// NextRetry implements river.Worker with the runtime's backoff.
func (w *turnWorker) NextRetry(job *river.Job[TurnArgs]) time.Time {
	return time.Now().Add(backoff.Delay(job.Attempt, w.s.cfg.RetryBaseDelay, w.s.cfg.RetryMaxDelay))
}

// Work runs the turn if it is still due. A scheduled tick that finds the
// skip flag consumes it and waits for the following tick (a snooze).
func (w *turnWorker) Work(ctx context.Context, job *river.Job[TurnArgs]) error {
	a := job.Args
	began := w.s.now()
	out, err := w.s.playTurn(ctx, a.GameID, a.Turn, a.Trigger)
	if err != nil {
		w.s.logger.WarnContext(ctx, "turn failed", "game_id", a.GameID, "turn", a.Turn, "attempt", job.Attempt, "error", err)
		w.s.metrics.turnFailed(ctx, a.Trigger)
		return err
	}
	if out.ran && a.Trigger == TriggerSchedule {
		// ScheduledAt is the tick, or the retry time after a failed attempt.
		w.s.metrics.lag(ctx, began.Sub(job.ScheduledAt))
	}
	if out.snooze > 0 {
		return river.JobSnooze(out.snooze)
	}
	return nil
}

// replacementWait is how long a turn waits before it looks again for the
// game's replacement engine.
const replacementWait = 5 * time.Second

// turnOutcome is what playTurn did.
type turnOutcome struct {
	ran      bool
	finished bool
	// snooze is when to look again: the time until the next tick when a
	// scheduled tick was skipped, or a short wait for a replacement engine.
	snooze time.Duration
	// why says why nothing ran.
	why string
}

// ForceNextTurn runs the game's next turn now and sets the skip flag, so
// the next scheduled tick does not produce a second turn in the same
// period. It returns the number of the turn run.
//
// Errors: errs.NotFound when the game was never started;
// errs.FailedPrecondition when it is not running (paused, finished);
// errs.Conflict when another runner committed that turn first;
// errs.Unavailable when the engine cannot be reached or is being replaced.
func (s *Service) ForceNextTurn(ctx context.Context, gameID string) (int, error) {
	rec, err := s.Record(ctx, gameID)
	if err != nil {
		return 0, err
	}
	turn := rec.CurrentTurn + 1
	out, err := s.playTurn(ctx, gameID, turn, TriggerForce)
	if err != nil {
		return 0, err
	}
	if !out.ran {
		if out.snooze > 0 {
			// Not a skipped tick (a forced turn never is): the engine is away.
			return 0, errs.E(errs.Unavailable, "the game cannot run a turn now: %s", out.why).WithDetail("game_id", gameID)
		}
		if out.why == "already ran" {
			return 0, errs.E(errs.Conflict, "turn %d already ran", turn).WithDetail("turn", turn)
		}
		return 0, errs.E(errs.FailedPrecondition, "the game cannot run a turn: %s", out.why).WithDetail("game_id", gameID)
	}
	return turn, nil
}

// playTurn runs turn `turn` of the game in three steps: under the row locks,
// check it is due and read its orders (marking the turn in progress, so
// later orders are refused rather than lost); ask the engine, outside any
// transaction; then, under the locks again, commit everything the turn
// produced only if the stored turn is still turn-1.
func (s *Service) playTurn(ctx context.Context, gameID string, turn int, trigger string) (turnOutcome, error) {
	began := s.now()
	var (
		out     turnOutcome
		rec     runtimestore.RuntimeRecord
		orders  map[string]string
		refused map[string]map[string]string // why c orders' names are refused, by race and name
		asked   map[string]bool              // races whose c order asked for a name
	)
	err := s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) error {
		q := runtimestore.New(tx)
		g, locked, err := lockGameAndRecord(ctx, q, gameID)
		if err != nil {
			return err
		}
		rec = locked
		switch {
		case g.Status != lobby.StatusRunning:
			out.why = "the game is " + g.Status
		case rec.Status == StatusStarting:
			// A replacement engine is on its way: wait for it, so the turn
			// runs late rather than never.
			out.why, out.snooze = "the engine is being replaced", replacementWait
		case rec.Status != StatusRunning:
			out.why = "the engine is " + rec.Status
		case rec.Paused:
			out.why = "the game is paused"
		case int(rec.CurrentTurn) >= turn:
			out.why = "already ran"
		case int(rec.CurrentTurn) != turn-1:
			out.why = fmt.Sprintf("turn %d is not next (current %d)", turn, rec.CurrentTurn)
		}
		if out.why != "" {
			return nil
		}
		if trigger == TriggerSchedule && rec.SkipNextTick {
			// A forced or early turn took this period's turn.
			next, err := nextTick(g.TurnSchedule, s.now())
			if err != nil {
				return err
			}
			if err := q.SetSkipNextTick(ctx, runtimestore.SetSkipNextTickParams{GameID: gameID}); err != nil {
				return err
			}
			if err := q.SetGameNextTurnAt(ctx, runtimestore.SetGameNextTurnAtParams{GameID: gameID, NextTurnAt: &next}); err != nil {
				return err
			}
			out.why, out.snooze = "tick skipped", max(time.Until(next), time.Millisecond)
			return nil
		}
		if trigger == TriggerEarly {
			// A player may have withdrawn "final" since the job was queued.
			n, err := q.CountNotFinal(ctx, runtimestore.CountNotFinalParams{GameID: gameID, Turn: int32(turn)})
			if err != nil {
				return err
			}
			if n > 0 {
				out.why = "not every player is final"
				return nil
			}
		}
		t := int32(turn)
		if err := q.SetTurnInProgress(ctx, runtimestore.SetTurnInProgressParams{GameID: gameID, Turn: &t}); err != nil {
			return err
		}
		rows, err := q.ListOrders(ctx, runtimestore.ListOrdersParams{GameID: gameID, Turn: t})
		if err != nil {
			return err
		}
		orders = make(map[string]string, len(rows))
		for _, r := range rows {
			orders[r.RaceID] = r.Text
		}
		// An excused race sends a comment line: the engine counts it as
		// orders, so an absence never makes the race idle.
		excused, err := q.ListExcused(ctx, runtimestore.ListExcusedParams{GameID: gameID, Turn: t})
		if err != nil {
			return err
		}
		for _, id := range excused {
			orders[id] = excusedOrders
		}
		if refused, asked, err = s.reserveRaceNamesTx(ctx, tx, q, g, orders); err != nil {
			return err
		}
		return s.botOrdersTx(ctx, q, gameID, turn, lobby.ParseSettings(g.Settings), orders)
	})
	if err != nil {
		return turnOutcome{}, err
	}
	if out.why != "" {
		s.logger.DebugContext(ctx, "turn not run", "game_id", gameID, "turn", turn, "trigger", trigger, "why", out.why)
		return out, nil
	}

	resp, err := s.engineTurn(ctx, rec, engine.TurnRequest{Turn: turn, Orders: orders, RefusedNames: refused})
	if err != nil {
		// Orders may come in again while the engine is retried.
		_ = s.recordTx(context.WithoutCancel(ctx), gameID, func(ctx context.Context, tx pgx.Tx) error {
			q := runtimestore.New(tx)
			if err := q.SetTurnInProgress(ctx, runtimestore.SetTurnInProgressParams{GameID: gameID}); err != nil {
				return err
			}
			return q.SetRecordError(ctx, runtimestore.SetRecordErrorParams{GameID: gameID, LastError: err.Error()})
		})
		return turnOutcome{}, err
	}

	err = s.recordTx(ctx, gameID, func(ctx context.Context, tx pgx.Tx) error {
		return s.commitTurnTx(ctx, tx, gameID, turn, trigger, resp, asked, &out)
	})
	if err != nil {
		return turnOutcome{}, err
	}
	if out.ran {
		s.metrics.turnDone(ctx, trigger, s.now().Sub(began))
		s.logger.InfoContext(ctx, "turn ran", "game_id", gameID, "turn", turn, "trigger", trigger, "finished", out.finished)
	}
	return out, nil
}

// engineTurn asks the game's engine for the turn.
func (s *Service) engineTurn(ctx context.Context, rec runtimestore.RuntimeRecord, req engine.TurnRequest) (*engine.TurnResponse, error) {
	c, err := engine.NewClient(rec.Endpoint, rec.EngineToken, engine.WithTurnTimeout(engineTurnTimeout))
	if err != nil {
		return nil, errs.Wrap(err, errs.Internal, "engine client for %s", rec.GameID)
	}
	return c.Turn(ctx, req)
}

// commitTurnTx stores what turn produced and moves the game on, unless
// another runner committed the turn first.
func (s *Service) commitTurnTx(ctx context.Context, tx pgx.Tx, gameID string, turn int, trigger string,
	resp *engine.TurnResponse, asked map[string]bool, out *turnOutcome) error {
	q := runtimestore.New(tx)
	g, rec, err := lockGameAndRecord(ctx, q, gameID)
	if err != nil {
		return err
	}
	switch {
	case int(rec.CurrentTurn) != turn-1:
		out.why = "already ran"
		return nil
	case rec.Status == StatusStarting:
		// The engine was replaced while it ran the turn: run it again on
		// the new one.
		out.why, out.snooze = "the engine is being replaced", replacementWait
		return nil
	case rec.Status != StatusRunning:
		out.why = "the engine is " + rec.Status
		return nil
	}
	races, err := loadRoster(ctx, q, gameID)
	if err != nil {
		return err
	}
	if err := s.settleRaceNamesTx(ctx, tx, gameID, &races, resp.Reports, asked); err != nil {
		return err
	}
	if err := storeTurnData(ctx, q, gameID, turn, resp.Snapshot, resp.Reports, races); err != nil {
		return err
	}
	if err := s.idleEventsTx(ctx, tx, q, gameID, turn, lobby.ParseSettings(g.Settings)); err != nil {
		return err
	}
	if err := q.CountIdleTurns(ctx, runtimestore.CountIdleTurnsParams{GameID: gameID, Turn: int32(turn)}); err != nil {
		return err
	}
	active, err := s.removeIdleRacesTx(ctx, tx, gameID, turn, races, resp.Reports)
	if err != nil {
		return err
	}
	summary, err := json.Marshal(resp.Summary)
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	if err := q.InsertTurn(ctx, runtimestore.InsertTurnParams{GameID: gameID, Turn: int32(turn), Summary: summary}); err != nil {
		return err
	}
	// A forced or early turn takes the place of the coming tick's turn: the
	// next turn is scheduled past that tick right here, so the skip is
	// consumed now and next_turn_at never names a tick that will not run.
	skip := rec.SkipNextTick || trigger == TriggerForce || trigger == TriggerEarly
	if err := q.AdvanceRecord(ctx, runtimestore.AdvanceRecordParams{GameID: gameID, CurrentTurn: int32(turn), SkipNextTick: false}); err != nil {
		return err
	}
	out.ran = true
	if n := missedTicks(g.TurnSchedule, g.NextTurnAt, s.now()); n > 0 {
		s.metrics.addMissedTicks(ctx, n)
		s.logger.WarnContext(ctx, "turn ran after its next tick: ticks missed", "game_id", gameID, "turn", turn,
			"tick", g.NextTurnAt, "missed", n)
	}
	if !resp.Summary.Finished {
		next, err := s.scheduleNextTx(ctx, tx, gameID, g.TurnSchedule, turn, skip)
		if err != nil {
			return err
		}
		if err := outbox.Publish(ctx, tx, outbox.GameTurnCompleted{GameID: gameID, Turn: turn, CompletedAt: time.Now(), NextTurnAt: &next}); err != nil {
			return err
		}
		return s.notifyTurnTx(ctx, tx, g.Name, gameID, turn, &next, races, active, resp.Summary)
	}
	if err := outbox.Publish(ctx, tx, outbox.GameTurnCompleted{GameID: gameID, Turn: turn, CompletedAt: time.Now()}); err != nil {
		return err
	}
	if err := s.notifyTurnTx(ctx, tx, g.Name, gameID, turn, nil, races, active, resp.Summary); err != nil {
		return err
	}

	out.finished = true
	if err := q.SetGameTurn(ctx, runtimestore.SetGameTurnParams{GameID: gameID, CurrentTurn: int32(turn)}); err != nil {
		return err
	}
	survivors := []string{}
	for _, r := range resp.Summary.Races {
		if !r.Eliminated {
			survivors = append(survivors, races.player(r.RaceID))
		}
	}
	if _, err := s.lobby.FinishTx(ctx, tx, gameID, survivors); err != nil {
		return fmt.Errorf("finish %s: %w", gameID, err)
	}
	// The game is over and every turn is stored: the engine can go.
	return s.queueStopTx(ctx, tx, gameID, "finished", true)
}

// removeIdleRacesTx ends the memberships of the active races the engine
// removed this turn for sending no orders, or that left with the q order,
// and returns the races still playing: a removed race's player is told
// once, then hears no more of the game.
func (s *Service) removeIdleRacesTx(ctx context.Context, tx pgx.Tx, gameID string, turn int,
	races roster, reports map[string]game.Report) ([]game.RaceSpec, error) {
	var removed, quit []string
	playing := races.active[:0:0]
	for _, a := range races.active {
		rep, ok := reports[a.ID]
		switch {
		case ok && rep.Data != nil && rep.Data.Status == "removed":
			removed = append(removed, races.player(a.ID))
		case ok && rep.Data != nil && rep.Data.Status == "quit":
			quit = append(quit, races.player(a.ID))
		default:
			playing = append(playing, a)
		}
	}
	if len(removed) > 0 {
		if err := s.lobby.RemoveRacesTx(ctx, tx, gameID, removed, turn); err != nil {
			return nil, fmt.Errorf("end the memberships of removed races: %w", err)
		}
	}
	if len(quit) > 0 {
		if err := s.lobby.QuitRacesTx(ctx, tx, gameID, quit); err != nil {
			return nil, fmt.Errorf("end the memberships of races that quit: %w", err)
		}
	}
	return playing, nil
}
