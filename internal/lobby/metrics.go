package lobby

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
)

// RegisterMetrics adds the gauge lobby_active_games{status} (seed 003's
// lobby.active_games): games per status, read from the database at
// collection time so every replica reports the same truth.
func (s *Service) RegisterMetrics(meter metric.Meter) error {
	if meter == nil {
		return nil
	}
	gauge, err := meter.Int64ObservableGauge("lobby_active_games",
		metric.WithDescription("Games by status; a non-zero starting count that does not fall is a stuck start."))
	if err != nil {
		return err
	}
	_, err = meter.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		rows, err := lobbystore.New(s.db.Pool).CountGamesByStatus(ctx)
		if err != nil {
			return err
		}
		counts := map[string]int64{}
		for _, r := range rows {
			counts[r.Status] = r.Games
		}
		for _, st := range AllStatuses {
			o.ObserveInt64(gauge, counts[st], metric.WithAttributes(attribute.String("status", st)))
		}
		return nil
	}, gauge)
	return err
}
