package mail

import (
	"context"

	"github.com/galaxy-platform/galaxy/internal/mail/mailstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// CountByStatus counts deliveries per status (operators' overview).
func (s *Service) CountByStatus(ctx context.Context) (map[string]int64, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := mailstore.New(s.pool()).CountByStatus(ctx)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Status] = r.Deliveries
	}
	return out, nil
}
