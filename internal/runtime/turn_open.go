package runtime

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/groupcommit"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// turnCall names a turn to run: the game, the turn's number and what asked
// for it.
type turnCall struct {
	gameID  string
	turn    int
	trigger string
}

func (c turnCall) game() string { return c.gameID }

// openedTurn is what a turn's first step found: why it does not run (out),
// or the engine to ask and what to ask it.
type openedTurn struct {
	out turnOutcome
	rec runtimestore.RuntimeRecord
	req engine.TurnRequest
	// asked are the races whose c orders asked for a name, which the
	// commit settles.
	asked map[string]bool
}

// openTurns is the group-commit step (see turn_batch.go) of turns' first
// transaction.
func (s *Service) openTurns(in []turnCall) []groupcommit.Result[openedTurn] {
	return runTurnBatch(s, in, turnCall.game, s.openTurnsTx)
}

// openTurnsTx checks, under the row locks, that each turn is due; marks the
// due ones in progress, so that later orders are refused rather than lost;
// and reads their orders.
func (s *Service) openTurnsTx(ctx context.Context, tx pgx.Tx, in []turnCall, res []groupcommit.Result[openedTurn]) error {
	q := runtimestore.New(tx)
	ids := make([]string, len(in))
	for i, c := range in {
		ids[i] = c.gameID
	}
	games, err := lockTurnGames(ctx, q, ids)
	if err != nil {
		return err
	}
	var due []int
	marks := runtimestore.SetTurnsInProgressParams{}
	for i, c := range in {
		g, ok := games[c.gameID]
		if !ok {
			res[i].Err = noRecord(c.gameID)
			continue
		}
		res[i].Out.rec = g.RuntimeRecord
		out := &res[i].Out.out
		if err := s.checkDue(ctx, q, g, c, out); err != nil {
			return err
		}
		if out.why != "" {
			continue
		}
		due = append(due, i)
		marks.GameIds = append(marks.GameIds, c.gameID)
		marks.Turns = append(marks.Turns, int32(c.turn))
	}
	if len(due) == 0 {
		return nil
	}
	if err := q.SetTurnsInProgress(ctx, marks); err != nil {
		return err
	}
	rows, err := q.ListTurnOrders(ctx, runtimestore.ListTurnOrdersParams(marks))
	if err != nil {
		return err
	}
	orders := make(map[string]map[string]string, len(due))
	for _, r := range rows {
		if orders[r.GameID] == nil {
			orders[r.GameID] = map[string]string{}
		}
		if r.Excused {
			// An excused race sends a comment line: the engine counts it
			// as orders, so an absence never makes the race idle.
			orders[r.GameID][r.RaceID] = excusedOrders
		} else {
			orders[r.GameID][r.RaceID] = r.Text
		}
	}
	for _, i := range due {
		c, g := in[i], games[in[i].gameID]
		o := orders[c.gameID]
		if o == nil {
			o = map[string]string{}
		}
		refused, asked, err := s.reserveRaceNamesTx(ctx, tx, q, g.GameID, g.Name, o)
		if err != nil {
			return err
		}
		if err := s.botOrdersTx(ctx, q, c.gameID, c.turn, lobby.ParseSettings(g.Settings), o); err != nil {
			return err
		}
		res[i].Out.req = engine.TurnRequest{Turn: c.turn, Orders: o, RefusedNames: refused}
		res[i].Out.asked = asked
	}
	return nil
}

// checkDue sets out.why (and out.snooze) when turn c of the locked game g
// is not to run now. A scheduled tick that finds the skip flag consumes it
// here.
func (s *Service) checkDue(ctx context.Context, q *runtimestore.Queries, g turnGame, c turnCall, out *turnOutcome) error {
	rec := g.RuntimeRecord
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
	case int(rec.CurrentTurn) >= c.turn:
		out.why = "already ran"
	case int(rec.CurrentTurn) != c.turn-1:
		out.why = fmt.Sprintf("turn %d is not next (current %d)", c.turn, rec.CurrentTurn)
	}
	if out.why != "" {
		return nil
	}
	if c.trigger == TriggerSchedule && rec.SkipNextTick {
		// A forced or early turn took this period's turn.
		next, err := nextTick(g.TurnSchedule, s.now())
		if err != nil {
			return err
		}
		if err := q.SetSkipNextTick(ctx, runtimestore.SetSkipNextTickParams{GameID: c.gameID}); err != nil {
			return err
		}
		if err := q.SetGameNextTurnAt(ctx, runtimestore.SetGameNextTurnAtParams{GameID: c.gameID, NextTurnAt: &next}); err != nil {
			return err
		}
		out.why, out.snooze = "tick skipped", max(time.Until(next), time.Millisecond)
		return nil
	}
	if c.trigger == TriggerEarly {
		// A player may have withdrawn "final" since the job was queued.
		n, err := q.CountNotFinal(ctx, runtimestore.CountNotFinalParams{GameID: c.gameID, Turn: int32(c.turn)})
		if err != nil {
			return err
		}
		if n > 0 {
			out.why = "not every player is final"
		}
	}
	return nil
}
