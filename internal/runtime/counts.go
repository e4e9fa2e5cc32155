package runtime

import (
	"context"

	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// CountByStatus counts engine records per runtime status (operators'
// overview).
func (s *Service) CountByStatus(ctx context.Context) (map[string]int64, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := runtimestore.New(s.db.Pool).CountRecordsByStatus(ctx)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Status] = r.Engines
	}
	return out, nil
}
