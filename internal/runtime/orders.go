package runtime

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/engine"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// MaxOrdersBytes bounds one order set: far above any real turn's orders,
// small enough that a stored set never bloats a row.
const MaxOrdersBytes = 256 << 10

// Mistake is one problem the engine found in an order set, by line.
type Mistake = game.Mistake

// OrdersResult is the engine's verdict on a submitted order set.
type OrdersResult struct {
	// Accepted reports whether the set is valid; only an accepted set is
	// used by the turn, and a rejected one never replaces an accepted one.
	Accepted bool
	// Errors lists the mistakes by line (empty when accepted).
	Errors []Mistake
	// Forecast is the race's own planets and groups as they would be after
	// the orders.
	Forecast string
}

// SubmitOrders checks userID's orders for turn with the game's engine and
// stores them as the player's latest set for that turn. With final set and
// every active player final, the turn is queued to run at once.
//
// Errors: errs.NotFound when the game was never started;
// errs.PermissionDenied when userID does not play in the game;
// errs.FailedPrecondition when the game is not running or paused;
// errs.Conflict when the turn already ran (or is running now: details
// current_turn); errs.InvalidArgument for a turn other than the next one;
// errs.PayloadTooLarge for text over MaxOrdersBytes; errs.Unavailable when
// the engine cannot be reached.
func (s *Service) SubmitOrders(ctx context.Context, gameID, userID string, turn int, text string, final bool) (OrdersResult, error) {
	if len(text) > MaxOrdersBytes {
		return OrdersResult{}, errs.E(errs.PayloadTooLarge, "orders are %d bytes, at most %d allowed", len(text), MaxOrdersBytes).
			WithDetail("field", "text")
	}
	q := runtimestore.New(s.db.Pool)
	rec, g, err := s.playable(ctx, q, gameID, userID)
	if err != nil {
		return OrdersResult{}, err
	}
	if err := checkTurn(rec, turn); err != nil {
		return OrdersResult{}, err
	}

	c, err := engine.NewClient(rec.Endpoint, rec.EngineToken)
	if err != nil {
		return OrdersResult{}, errs.Wrap(err, errs.Internal, "engine client for %s", gameID)
	}
	check, err := c.CheckOrders(ctx, userID, text)
	if err != nil {
		return OrdersResult{}, err
	}
	res := OrdersResult{Accepted: check.Accepted, Errors: check.Errors, Forecast: check.Forecast}
	if res.Errors == nil {
		res.Errors = []Mistake{}
	}

	err = s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := runtimestore.New(tx)
		// The record's lock orders this write against a turn reading its
		// orders: either the turn sees these orders or they are refused.
		rec, err := q.LockRecord(ctx, gameID)
		if err != nil {
			return err
		}
		if err := checkTurn(rec, turn); err != nil {
			return err
		}
		if _, err := q.UpsertOrders(ctx, runtimestore.UpsertOrdersParams{
			GameID: gameID, Turn: int32(turn), UserID: userID, Text: text, Accepted: res.Accepted, Final: final && res.Accepted,
		}); err != nil {
			return err
		}
		if !final || !res.Accepted || g.Status != lobby.StatusRunning || rec.Paused {
			return nil
		}
		n, err := q.CountNotFinal(ctx, runtimestore.CountNotFinalParams{GameID: gameID, Turn: int32(turn)})
		if err != nil || n > 0 {
			return err
		}
		// Everyone is done: run the turn now rather than at the tick.
		if _, err := s.river.InsertTx(ctx, tx, TurnArgs{GameID: gameID, Turn: turn, Trigger: TriggerEarly}, s.turnOpts()); err != nil {
			return fmt.Errorf("queue early turn %d of %s: %w", turn, gameID, err)
		}
		return nil
	})
	if err != nil {
		return OrdersResult{}, err
	}
	return res, nil
}

// playable loads the game and its record and checks userID plays in it.
func (s *Service) playable(ctx context.Context, q *runtimestore.Queries, gameID, userID string) (runtimestore.RuntimeRecord, runtimestore.GetGameRow, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rec, err := s.cache.get(ctx, gameID)
	if postgres.IsNoRows(err) {
		return rec, runtimestore.GetGameRow{}, errs.E(errs.NotFound, "game %s is not started", gameID).WithDetail("game_id", gameID)
	}
	if err != nil {
		return rec, runtimestore.GetGameRow{}, postgres.Translate(err)
	}
	g, err := q.GetGame(ctx, gameID)
	if err != nil {
		return rec, g, postgres.Translate(err)
	}
	m, err := q.GetMembership(ctx, runtimestore.GetMembershipParams{GameID: gameID, UserID: userID})
	if postgres.IsNoRows(err) || (err == nil && m.Status != "active") {
		return rec, g, errs.E(errs.PermissionDenied, "you do not play in game %s", gameID).WithDetail("game_id", gameID)
	}
	if err != nil {
		return rec, g, postgres.Translate(err)
	}
	if (g.Status != lobby.StatusRunning && g.Status != lobby.StatusPaused) || rec.Status != StatusRunning {
		return rec, g, errs.E(errs.FailedPrecondition, "the game is %s", g.Status).WithDetail("status", g.Status)
	}
	return rec, g, nil
}

// checkTurn accepts orders only for the next turn, and not while it runs.
func checkTurn(rec runtimestore.RuntimeRecord, turn int) error {
	cur := int(rec.CurrentTurn)
	switch {
	case turn <= cur:
		return errs.E(errs.Conflict, "turn %d already ran", turn).WithDetail("current_turn", cur)
	case turn != cur+1:
		return errs.E(errs.InvalidArgument, "orders are accepted for turn %d only", cur+1).
			WithDetail("field", "turn").WithDetail("current_turn", cur)
	case rec.TurnInProgress != nil && int(*rec.TurnInProgress) == turn:
		return errs.E(errs.Conflict, "turn %d is running", turn).WithDetail("current_turn", cur)
	}
	return nil
}
