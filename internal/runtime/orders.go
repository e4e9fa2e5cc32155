package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

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
	// Accepted reports that the set is (or, when only checked, would be)
	// stored as the race's orders: the latest set is used, GalaxyNG's way,
	// its valid lines run and the lines in Errors do not.
	Accepted bool
	// Errors lists the lines that will not run, with why (empty when every
	// line is valid).
	Errors []Mistake
	// Forecast is the race's own planets and groups as they would be after
	// the orders.
	Forecast string
}

// SubmitOrders checks userID's orders for turn with the game's engine and
// stores them as the player's latest set for that turn. With final set and
// every active player final, the turn is queued to run at once.
//
// Errors: errs.InvalidArgument for a turn below 1; errs.NotFound for a game
// that does not exist (or that userID does not play); errs.FailedPrecondition
// when it has not started yet, or is not running or paused;
// errs.PermissionDenied when userID does not play in the game;
// errs.Conflict when the turn already ran (or is running now: details
// current_turn); errs.InvalidArgument for a turn other than the next one;
// errs.PayloadTooLarge for text over MaxOrdersBytes; errs.Unavailable when
// the engine cannot be reached.
func (s *Service) SubmitOrders(ctx context.Context, gameID, userID string, turn int, text string, final bool) (OrdersResult, error) {
	if turn < 1 {
		return OrdersResult{}, errs.E(errs.InvalidArgument, "turn must be 1 or more (the next turn to run), not %d", turn).
			WithDetail("field", "turn").WithDetail("reason", "out_of_range")
	}
	if len(text) > MaxOrdersBytes {
		return OrdersResult{}, errs.E(errs.PayloadTooLarge, "orders are %d bytes, at most %d allowed", len(text), MaxOrdersBytes).
			WithDetail("field", "text")
	}
	q := runtimestore.New(s.db.Pool)
	rec, g, raceID, err := s.playable(ctx, q, gameID, userID)
	if err != nil {
		return OrdersResult{}, err
	}
	if err := checkTurn(rec, turn); err != nil {
		return OrdersResult{}, err
	}

	res, err := checkWithEngine(ctx, rec, raceID, text)
	if err != nil {
		return OrdersResult{}, err
	}
	mistakes, err := json.Marshal(res.Errors)
	if err != nil {
		return OrdersResult{}, fmt.Errorf("encode mistakes: %w", err)
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
			GameID: gameID, Turn: int32(turn), RaceID: raceID, UserID: userID, Text: text, Accepted: len(res.Errors) == 0, Final: final,
			Errors: mistakes,
		}); err != nil {
			return err
		}
		if !final || g.Status != lobby.StatusRunning || rec.Paused {
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
	s.pushReadiness(ctx, gameID)
	return res, nil
}

// CheckOrders asks the game's engine for its verdict on userID's orders
// without storing them: the order editor checks as the player types.
//
// Errors: as SubmitOrders, less the turn checks.
func (s *Service) CheckOrders(ctx context.Context, gameID, userID, text string) (OrdersResult, error) {
	if len(text) > MaxOrdersBytes {
		return OrdersResult{}, errs.E(errs.PayloadTooLarge, "orders are %d bytes, at most %d allowed", len(text), MaxOrdersBytes).
			WithDetail("field", "text")
	}
	rec, _, raceID, err := s.playable(ctx, runtimestore.New(s.db.Pool), gameID, userID)
	if err != nil {
		return OrdersResult{}, err
	}
	return checkWithEngine(ctx, rec, raceID, text)
}

// checkWithEngine runs the engine's order check for a race.
func checkWithEngine(ctx context.Context, rec runtimestore.RuntimeRecord, raceID, text string) (OrdersResult, error) {
	c, err := engine.NewClient(rec.Endpoint, rec.EngineToken)
	if err != nil {
		return OrdersResult{}, errs.Wrap(err, errs.Internal, "engine client for %s", rec.GameID)
	}
	check, err := c.CheckOrders(ctx, raceID, text)
	if err != nil {
		return OrdersResult{}, err
	}
	res := OrdersResult{Accepted: true, Errors: check.Errors, Forecast: check.Forecast}
	if res.Errors == nil {
		res.Errors = []Mistake{}
	}
	return res, nil
}

// StoredOrders is a player's stored order set for one turn.
type StoredOrders struct {
	Turn        int
	Text        string
	Final       bool
	Accepted    bool
	Errors      []Mistake
	SubmittedAt time.Time
}

// Orders returns the stored set of userID's race for turn (0: the next turn
// to run): the race's set while userID plays it, else only a set userID sent.
//
// Errors: errs.NotFound for an unknown game or when no set is stored;
// errs.FailedPrecondition before the game starts; errs.PermissionDenied
// when userID never played in the game.
func (s *Service) Orders(ctx context.Context, gameID, userID string, turn int) (StoredOrders, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	q := runtimestore.New(s.db.Pool)
	rec, err := s.cache.get(ctx, gameID)
	if postgres.IsNoRows(err) {
		return StoredOrders{}, s.notStarted(ctx, q, gameID, userID)
	}
	if err != nil {
		return StoredOrders{}, postgres.Translate(err)
	}
	m, err := q.GetMembership(ctx, runtimestore.GetMembershipParams{GameID: gameID, UserID: userID})
	if postgres.IsNoRows(err) {
		return StoredOrders{}, errs.E(errs.PermissionDenied, "you do not play in game %s", gameID).WithDetail("game_id", gameID)
	} else if err != nil {
		return StoredOrders{}, postgres.Translate(err)
	}
	if turn == 0 {
		turn = int(rec.CurrentTurn) + 1
	}
	row, err := q.GetOrders(ctx, runtimestore.GetOrdersParams{GameID: gameID, Turn: int32(turn), RaceID: m.RaceID})
	if err == nil && m.Status != "active" && row.UserID != userID {
		err = pgx.ErrNoRows // a later player's orders for the race
	}
	if postgres.IsNoRows(err) {
		return StoredOrders{}, errs.E(errs.NotFound, "no orders stored for turn %d", turn).WithDetail("turn", turn)
	}
	if err != nil {
		return StoredOrders{}, postgres.Translate(err)
	}
	out := StoredOrders{Turn: int(row.Turn), Text: row.Text, Final: row.Final, Accepted: true, SubmittedAt: row.UpdatedAt}
	if err := json.Unmarshal(row.Errors, &out.Errors); err != nil || out.Errors == nil {
		out.Errors = []Mistake{}
	}
	return out, nil
}

// playable loads the game and its record, checks userID plays in it, and
// returns the id of the race they play.
func (s *Service) playable(ctx context.Context, q *runtimestore.Queries, gameID, userID string) (
	rec runtimestore.RuntimeRecord, g runtimestore.GetGameRow, raceID string, err error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rec, err = s.cache.get(ctx, gameID)
	if postgres.IsNoRows(err) {
		return rec, g, "", s.notStarted(ctx, q, gameID, userID)
	}
	if err != nil {
		return rec, g, "", postgres.Translate(err)
	}
	g, err = q.GetGame(ctx, gameID)
	if err != nil {
		return rec, g, "", postgres.Translate(err)
	}
	m, err := q.GetMembership(ctx, runtimestore.GetMembershipParams{GameID: gameID, UserID: userID})
	if postgres.IsNoRows(err) || (err == nil && m.Status != "active") {
		return rec, g, "", errs.E(errs.PermissionDenied, "you do not play in game %s", gameID).WithDetail("game_id", gameID)
	}
	if err != nil {
		return rec, g, "", postgres.Translate(err)
	}
	if (g.Status != lobby.StatusRunning && g.Status != lobby.StatusPaused) || rec.Status != StatusRunning {
		return rec, g, "", errs.E(errs.FailedPrecondition, "the game is %s", g.Status).WithDetail("status", g.Status)
	}
	return rec, g, m.RaceID, nil
}

// notStarted explains why a game has no engine record: it does not exist
// (not_found), or it has not started yet (failed_precondition, with its
// status), so a player sending orders early learns to wait, not that the
// game is gone.
func (s *Service) notStarted(ctx context.Context, q *runtimestore.Queries, gameID, userID string) error {
	g, err := q.GetGame(ctx, gameID)
	if err == nil {
		// Only its players learn that a game exists but waits.
		if _, err = q.GetMembership(ctx, runtimestore.GetMembershipParams{GameID: gameID, UserID: userID}); postgres.IsNoRows(err) {
			return errs.E(errs.NotFound, "no such game").WithDetail("game_id", gameID)
		}
	}
	if postgres.IsNoRows(err) {
		return errs.E(errs.NotFound, "no such game").WithDetail("game_id", gameID)
	}
	if err != nil {
		return postgres.Translate(err)
	}
	return errs.E(errs.FailedPrecondition, "the game has not started yet (it is %s): orders are taken once it runs", g.Status).
		WithDetail("game_id", gameID).WithDetail("status", g.Status)
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
