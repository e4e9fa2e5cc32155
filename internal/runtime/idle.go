package runtime

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/game/bot"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// botOrdersTx adds, under the bot idle policy, the built-in bot's orders for
// every silent race whose player has been idle settings.idle_turns turns in
// a row: the race keeps producing and fighting. The moment its player
// stores orders again those are used instead (they are in orders already),
// and the player's idle count starts over after the turn.
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
		rep, err := q.LatestReport(ctx, runtimestore.LatestReportParams{GameID: gameID, UserID: p.UserID})
		if postgres.IsNoRows(err) {
			continue
		}
		if err != nil {
			return err
		}
		var data game.ReportData
		if err := json.Unmarshal(rep.Data, &data); err != nil {
			return fmt.Errorf("read the report the bot plays %s from: %w", p.UserID, err)
		}
		orders[p.UserID] = "; played by the bot while the player is away\n" + bot.New().Orders(&data)
	}
	return nil
}
