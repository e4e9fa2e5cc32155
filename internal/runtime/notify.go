package runtime

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/lobby"
)

// notifyTurnTx tells every race of a game that its turn report is ready
// (game.turn.ready) or, on the last turn, that the game is over
// (game.finished). Intents are per player, since each carries that player's
// race; the dedupe key makes a retried turn notify once.
//
// Only active members are told: a player who left, was removed or blocked
// hears nothing of the game after their exit, though their race may still
// be in it.
func (s *Service) notifyTurnTx(ctx context.Context, tx pgx.Tx, gameName, gameID string, turn int, nextAt *time.Time,
	races roster, active []game.RaceSpec, sum game.Summary) error {
	if s.notify == nil {
		return nil
	}
	winners := []string{} // a list, never null, even with no winner
	for _, id := range sum.Winners {
		winners = append(winners, races.name(id))
	}
	next := "" // when the game just ended
	if nextAt != nil {
		next = nextAt.UTC().Format(time.RFC3339)
	}
	playing := make(map[string]bool, len(active))
	for _, a := range active {
		playing[a.ID] = true
	}
	for _, r := range sum.Races {
		if !playing[r.RaceID] {
			continue
		}
		payload := map[string]any{"game_id": gameID, "game_name": gameName, "turn": turn, "race_name": races.name(r.RaceID)}
		kind := "game.turn.ready"
		if sum.Finished {
			kind = "game.finished"
			payload["winners"] = winners
			payload["survived"] = !r.Eliminated
		} else {
			payload["next_turn_at"] = next
		}
		if err := s.notify.NotifyTx(ctx, tx, lobby.Intent{Kind: kind, UserIDs: []string{races.player(r.RaceID)}, Payload: payload,
			DedupeKey: kind + ":" + gameID + ":" + strconv.Itoa(turn)}); err != nil {
			return err
		}
	}
	return nil
}
