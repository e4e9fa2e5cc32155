package lobby

import (
	"context"

	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// CountByStatus counts games per status, every status present (operators'
// overview).
func (s *Service) CountByStatus(ctx context.Context) (map[string]int64, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := lobbystore.New(s.db.Pool).CountGamesByStatus(ctx)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make(map[string]int64, len(AllStatuses))
	for _, st := range AllStatuses {
		out[st] = 0
	}
	for _, r := range rows {
		out[r.Status] = r.Games
	}
	return out, nil
}
