package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
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
// produced only if the stored turn is still turn-1. The two database steps
// are shared with the turns of other games that reach them at the same time
// (see turn_batch.go).
func (s *Service) playTurn(ctx context.Context, gameID string, turn int, trigger string) (turnOutcome, error) {
	began := s.now()
	call := turnCall{gameID: gameID, turn: turn, trigger: trigger}
	op, err := s.opens.Do(call)
	if err != nil {
		return turnOutcome{}, err
	}
	if op.out.why != "" {
		s.logger.DebugContext(ctx, "turn not run", "game_id", gameID, "turn", turn, "trigger", trigger, "why", op.out.why)
		return op.out, nil
	}

	resp, err := s.engineTurn(ctx, op.rec, op.req)
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

	out, err := s.commits.Do(ranTurn{turnCall: call, resp: resp, asked: op.asked})
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
