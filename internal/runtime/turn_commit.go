package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/groupcommit"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// ranTurn is a turn the engine ran, on its way to the database.
type ranTurn struct {
	turnCall
	resp  *engine.TurnResponse
	asked map[string]bool
}

// commitTurns is the group-commit step (see turn_batch.go) of turns' last
// transaction.
func (s *Service) commitTurns(in []ranTurn) []groupcommit.Result[turnOutcome] {
	return runTurnBatch(s, in, func(t ranTurn) string { return t.gameID }, s.commitTurnsTx)
}

// committing is one turn of a batch past the checks, with what the commit
// learns of its game on the way.
type committing struct {
	i     int // index in the batch
	g     turnGame
	set   lobby.Settings
	races roster
	// active are the races still playing after the turn.
	active []game.RaceSpec
}

// commitTurnsTx stores what each turn produced and moves its game on, unless
// another runner committed the turn first. Each step runs once for the whole
// batch (one statement per table); what only some turns need (renames,
// idle races, a game's end) runs for those alone.
func (s *Service) commitTurnsTx(ctx context.Context, tx pgx.Tx, in []ranTurn, res []groupcommit.Result[turnOutcome]) error {
	q := runtimestore.New(tx)
	ids := make([]string, len(in))
	for i, t := range in {
		ids[i] = t.gameID
	}
	games, err := lockTurnGames(ctx, q, ids)
	if err != nil {
		return err
	}
	var due []*committing
	for i, t := range in {
		g, ok := games[t.gameID]
		if !ok {
			res[i].Err = noRecord(t.gameID)
			continue
		}
		out, rec := &res[i].Out, g.RuntimeRecord
		switch {
		case int(rec.CurrentTurn) != t.turn-1:
			out.why = "already ran"
		case rec.Status == StatusStarting:
			// The engine was replaced while it ran the turn: run it again
			// on the new one.
			out.why, out.snooze = "the engine is being replaced", replacementWait
		case rec.Status != StatusRunning:
			out.why = "the engine is " + rec.Status
		default:
			due = append(due, &committing{i: i, g: g, set: lobby.ParseSettings(g.Settings)})
		}
	}
	if len(due) == 0 {
		return nil
	}
	if err := s.storeTurnsTx(ctx, tx, q, in, due); err != nil {
		return err
	}
	for _, c := range due {
		res[c.i].Out.ran = true
		t := in[c.i]
		if n := missedTicks(c.g.TurnSchedule, c.g.NextTurnAt, s.now()); n > 0 {
			s.metrics.addMissedTicks(ctx, n)
			s.logger.WarnContext(ctx, "turn ran after its next tick: ticks missed", "game_id", t.gameID, "turn", t.turn,
				"tick", c.g.NextTurnAt, "missed", n)
		}
	}
	if err := s.scheduleNextTurnsTx(ctx, tx, q, in, due); err != nil {
		return err
	}
	for _, c := range due {
		t := in[c.i]
		if !t.resp.Summary.Finished {
			if err := s.notifyTurnTx(ctx, tx, c.g.Name, t.gameID, t.turn, c.g.NextTurnAt, c.races, c.active, t.resp.Summary); err != nil {
				return err
			}
			continue
		}
		res[c.i].Out.finished = true
		if err := s.finishGameTx(ctx, tx, q, t, c); err != nil {
			return err
		}
	}
	return nil
}

// storeTurnsTx stores the turns' snapshots, reports and history, and
// updates their games' races and records.
func (s *Service) storeTurnsTx(ctx context.Context, tx pgx.Tx, q *runtimestore.Queries, in []ranTurn, due []*committing) error {
	ids := make([]string, len(due))
	turns := make([]int32, len(due))
	for k, c := range due {
		ids[k], turns[k] = in[c.i].gameID, int32(in[c.i].turn)
	}
	rosters, err := loadRosters(ctx, q, ids)
	if err != nil {
		return err
	}
	var rows turnRows
	for _, c := range due {
		t := in[c.i]
		c.races = rosters[t.gameID]
		if err := s.settleRaceNamesTx(ctx, tx, t.gameID, &c.races, t.resp.Reports, t.asked); err != nil {
			return err
		}
		if err := rows.addData(t.gameID, t.turn, t.resp.Snapshot, t.resp.Reports, c.races); err != nil {
			return err
		}
		if err := rows.addTurn(t.gameID, t.turn, t.resp.Summary); err != nil {
			return err
		}
	}
	if err := rows.write(ctx, q); err != nil {
		return err
	}
	for _, c := range due {
		t := in[c.i]
		if err := s.idleEventsTx(ctx, tx, q, t.gameID, t.turn, c.set); err != nil {
			return err
		}
	}
	if err := q.CountIdleTurns(ctx, runtimestore.CountIdleTurnsParams{GameIds: ids, Turns: turns}); err != nil {
		return err
	}
	for _, c := range due {
		t := in[c.i]
		if c.active, err = s.removeIdleRacesTx(ctx, tx, t.gameID, t.turn, c.races, t.resp.Reports); err != nil {
			return err
		}
	}
	return q.AdvanceRecords(ctx, runtimestore.AdvanceRecordsParams{GameIds: ids, Turns: turns})
}

// scheduleNextTurnsTx sets, for each game that goes on, its current turn and
// when the next runs (nextTurnAt: a forced or early turn, or one that
// consumed the skip flag, passes over the tick it took), queues the next
// turn's scheduled job for exactly then (and its reminder), and announces
// the turn. It leaves that time in each game's NextTurnAt.
func (s *Service) scheduleNextTurnsTx(ctx context.Context, tx pgx.Tx, q *runtimestore.Queries, in []ranTurn, due []*committing) error {
	var (
		games runtimestore.SetGamesTurnParams
		jobs  []river.InsertManyParams
	)
	for _, c := range due {
		t := in[c.i]
		if t.resp.Summary.Finished {
			continue
		}
		skip := c.g.RuntimeRecord.SkipNextTick || t.trigger == TriggerForce || t.trigger == TriggerEarly
		next, err := nextTurnAt(c.g.TurnSchedule, s.now(), skip)
		if err != nil {
			return err
		}
		c.g.NextTurnAt = &next
		games.GameIds = append(games.GameIds, t.gameID)
		games.Turns = append(games.Turns, int32(t.turn))
		games.NextTurnAts = append(games.NextTurnAts, next)
		jobs = append(jobs, s.turnJobs(t.gameID, c.set, t.turn+1, next)...)
	}
	if len(jobs) == 0 {
		return nil
	}
	if err := q.SetGamesTurn(ctx, games); err != nil {
		return err
	}
	if _, err := s.river.InsertManyTx(ctx, tx, jobs); err != nil {
		return fmt.Errorf("schedule the next turns: %w", err)
	}
	for _, c := range due {
		t := in[c.i]
		if t.resp.Summary.Finished {
			continue
		}
		if err := outbox.Publish(ctx, tx, outbox.GameTurnCompleted{GameID: t.gameID, Turn: t.turn, CompletedAt: time.Now(),
			NextTurnAt: c.g.NextTurnAt}); err != nil {
			return err
		}
	}
	return nil
}

// finishGameTx ends a game whose last turn this was: players are told, the
// lobby finishes the game (survivors' race names become pending) and the
// engine, whose every turn is stored, can go.
func (s *Service) finishGameTx(ctx context.Context, tx pgx.Tx, q *runtimestore.Queries, t ranTurn, c *committing) error {
	if err := outbox.Publish(ctx, tx, outbox.GameTurnCompleted{GameID: t.gameID, Turn: t.turn, CompletedAt: time.Now()}); err != nil {
		return err
	}
	if err := s.notifyTurnTx(ctx, tx, c.g.Name, t.gameID, t.turn, nil, c.races, c.active, t.resp.Summary); err != nil {
		return err
	}
	if err := q.SetGameTurn(ctx, runtimestore.SetGameTurnParams{GameID: t.gameID, CurrentTurn: int32(t.turn)}); err != nil {
		return err
	}
	survivors := []string{}
	for _, r := range t.resp.Summary.Races {
		if !r.Eliminated {
			survivors = append(survivors, c.races.player(r.RaceID))
		}
	}
	if _, err := s.lobby.FinishTx(ctx, tx, t.gameID, survivors); err != nil {
		return fmt.Errorf("finish %s: %w", t.gameID, err)
	}
	return s.queueStopTx(ctx, tx, t.gameID, "finished", true)
}
