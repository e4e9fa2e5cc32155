package runtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/game/bot"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// botOrdersTx adds, under the bot and substitute idle policies, the
// built-in bot's orders for every silent race whose player has been idle
// settings.idle_turns turns in a row: the race keeps producing and
// fighting. The moment its player stores orders again those are used
// instead (they are in orders already), and the player's idle count starts
// over after the turn.
func (s *Service) botOrdersTx(ctx context.Context, q *runtimestore.Queries, gameID string, turn int,
	settings lobby.Settings, orders map[string]string) error {
	after := settings.BotAfter()
	if after == 0 {
		return nil
	}
	silent, err := q.ListSilent(ctx, runtimestore.ListSilentParams{GameID: gameID, Turn: int32(turn)})
	if err != nil {
		return err
	}
	for _, p := range silent {
		if int(p.IdleTurns) < after {
			continue
		}
		rep, err := q.LatestRaceReport(ctx, runtimestore.LatestRaceReportParams{GameID: gameID, RaceID: p.RaceID})
		if postgres.IsNoRows(err) {
			continue
		}
		if err != nil {
			return err
		}
		var data game.ReportData
		if err := json.Unmarshal(rep.Data, &data); err != nil {
			return fmt.Errorf("read the report the bot plays %s from: %w", p.RaceID, err)
		}
		orders[p.RaceID] = "; played by the bot while the player is away\n" + bot.New().Orders(&data)
	}
	return nil
}

// idleEventsTx records, in the turn's transaction (so once per turn), the
// races the bot took in hand at this turn (their idle count just reached
// the threshold) and those handed back (their player's orders ran again).
// Under the substitute policy the races the bot plays are also offered to
// new players (lobby.OfferRacesTx).
func (s *Service) idleEventsTx(ctx context.Context, tx pgx.Tx, q *runtimestore.Queries, gameID string, turn int, settings lobby.Settings) error {
	after := settings.BotAfter()
	if after == 0 {
		return nil
	}
	silent, err := q.ListSilent(ctx, runtimestore.ListSilentParams{GameID: gameID, Turn: int32(turn)})
	if err != nil {
		return err
	}
	now := time.Now()
	policy := settings.Policy()
	var offer []string
	for _, p := range silent {
		if int(p.IdleTurns) == after {
			if err := outbox.Publish(ctx, tx, outbox.GameRaceIdle{GameID: gameID, UserID: p.UserID, Turn: turn,
				Policy: policy, At: now}); err != nil {
				return err
			}
		}
		if int(p.IdleTurns) >= after && policy == lobby.IdleSubstitute && !p.SubstituteWanted {
			offer = append(offer, p.UserID)
		}
	}
	if len(offer) > 0 {
		if err := s.lobby.OfferRacesTx(ctx, tx, gameID, offer, turn); err != nil {
			return fmt.Errorf("offer idle races to substitutes: %w", err)
		}
	}
	back, err := q.ListReturning(ctx, runtimestore.ListReturningParams{GameID: gameID, Turn: int32(turn), After: int32(after)})
	if err != nil {
		return err
	}
	for _, id := range back {
		if err := outbox.Publish(ctx, tx, outbox.GameRaceIdle{GameID: gameID, UserID: id, Turn: turn,
			Policy: policy, HandedBack: true, At: now}); err != nil {
			return err
		}
	}
	return nil
}
