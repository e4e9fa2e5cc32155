package lobby

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
)

// gamePayload is the part of every lobby notification that names the game.
func gamePayload(g Game, extra map[string]any) map[string]any {
	p := map[string]any{"game_id": g.GameID, "game_name": g.Name, "status": g.Status}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

// notifyMembersTx tells the owner and every active member about a game.
func (s *Service) notifyMembersTx(ctx context.Context, tx pgx.Tx, g Game, kind, dedupe string, extra map[string]any) error {
	members, err := lobbystore.New(tx).ListActiveMembers(ctx, g.GameID)
	if err != nil {
		return err
	}
	seen := map[string]bool{g.OwnerUserID: true}
	users := []string{g.OwnerUserID}
	for _, m := range members {
		if !seen[m.UserID] {
			seen[m.UserID] = true
			users = append(users, m.UserID)
		}
	}
	return s.notifier.NotifyTx(ctx, tx, Intent{Kind: kind, UserIDs: users, Payload: gamePayload(g, extra), DedupeKey: dedupe})
}

// notifyTx tells the given users about a game.
func (s *Service) notifyTx(ctx context.Context, tx pgx.Tx, g Game, kind, dedupe string, extra map[string]any, users ...string) error {
	return s.notifier.NotifyTx(ctx, tx, Intent{Kind: kind, UserIDs: users, Payload: gamePayload(g, extra), DedupeKey: dedupe})
}
