package inbound

import (
	"context"

	"github.com/galaxy-platform/galaxy/internal/mail/inbound/inboundstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// CountByStatus counts inbound mails per status (operators' overview).
func (s *Service) CountByStatus(ctx context.Context) (map[string]int64, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := inboundstore.New(s.db.Pool).CountInboundByStatus(ctx)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Status] = r.Mails
	}
	return out, nil
}
