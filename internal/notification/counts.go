package notification

import (
	"context"

	"github.com/galaxy-platform/galaxy/internal/notification/notificationstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// CountDeadLetters counts the routes waiting in the dead letters (operators'
// overview).
func (s *Service) CountDeadLetters(ctx context.Context) (int64, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	n, err := notificationstore.New(s.db.Pool).CountDeadLetters(ctx)
	return n, postgres.Translate(err)
}
