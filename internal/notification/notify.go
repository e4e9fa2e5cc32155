package notification

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/ids"
	"github.com/galaxy-platform/galaxy/internal/notification/notificationstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// NotifyTx records an intent inside the caller's transaction: the inbox rows,
// the routes the recipients' preferences ask for, and one dispatch job per
// route. Nothing exists unless tx commits. A recipient who already has a
// notification with the intent's dedupe key gets nothing new. It returns
// invalid_argument for an intent without a kind or with a payload that is not
// JSON, and the database's error (which aborts tx) for an unknown recipient.
func (s *Service) NotifyTx(ctx context.Context, tx pgx.Tx, in Intent) error {
	if in.Kind == "" {
		return errs.E(errs.InvalidArgument, "a notification needs a kind")
	}
	recipients := unique(in.UserIDs)
	if len(recipients) == 0 {
		return nil
	}
	payload := in.Payload
	if payload == nil {
		payload = map[string]any{}
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return errs.Wrap(err, errs.InvalidArgument, "the payload of %s is not JSON", in.Kind)
	}
	dedupe := in.DedupeKey
	if dedupe == "" {
		dedupe = ids.New("once_")
	}

	q := notificationstore.New(tx)
	stored, err := q.ListPreferencesForKind(ctx, notificationstore.ListPreferencesForKindParams{Kind: in.Kind, UserIds: recipients})
	if err != nil {
		return err
	}
	prefs := make(map[string]Preference, len(stored))
	for _, p := range stored {
		prefs[p.UserID] = Preference{Kind: p.Kind, Push: p.Push, Email: p.Email}
	}
	_, mailable := EmailTemplates[in.Kind]

	var jobs []river.InsertManyParams
	for _, userID := range recipients {
		n, err := q.InsertNotification(ctx, notificationstore.InsertNotificationParams{
			NotificationID: ids.New("ntf_"), UserID: userID, Kind: in.Kind, Payload: raw, DedupeKey: dedupe,
		})
		if postgres.IsNoRows(err) {
			continue // already notified with this key
		}
		if err != nil {
			return fmt.Errorf("notification %s for %s: %w", in.Kind, userID, err)
		}
		p, ok := prefs[userID]
		if !ok {
			p = DefaultPreference(in.Kind)
		}
		var channels []string
		if p.Push {
			channels = append(channels, ChannelPush)
		}
		if p.Email && mailable {
			channels = append(channels, ChannelEmail)
		}
		for _, ch := range channels {
			routeID := ids.New("nrt_")
			if err := q.InsertRoute(ctx, notificationstore.InsertRouteParams{
				RouteID: routeID, NotificationID: n.NotificationID, Channel: ch,
			}); err != nil {
				return err
			}
			jobs = append(jobs, river.InsertManyParams{Args: DispatchArgs{RouteID: routeID}, InsertOpts: s.insertOpts()})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	if _, err := s.river.InsertManyTx(ctx, tx, jobs); err != nil {
		return fmt.Errorf("enqueue notification routes: %w", err)
	}
	return nil
}

// insertOpts puts a dispatch on the notifications queue with the route's
// attempt budget.
func (s *Service) insertOpts() *river.InsertOpts {
	return &river.InsertOpts{Queue: Queue, MaxAttempts: s.cfg.MaxAttempts}
}

// unique drops empty and repeated ids, keeping the first order.
func unique(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, id := range in {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
