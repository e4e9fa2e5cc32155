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
)

// NotifyTx records an intent inside the caller's transaction: the inbox rows,
// the routes the recipients' preferences ask for, and one dispatch job for
// them. Nothing exists unless tx commits. A recipient who already has a
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

	// One statement records the inbox rows and the routes the recipients'
	// preferences ask for, one more enqueues their job, whatever the
	// number of recipients (a turn to every player).
	p := notificationstore.InsertIntentParams{Kind: in.Kind, Payload: raw, DedupeKey: dedupe, UserIds: recipients}
	def := DefaultPreference(in.Kind)
	_, p.Mailable = EmailTemplates[in.Kind]
	p.DefaultPush, p.DefaultEmail = def.Push, def.Email
	for range recipients {
		p.NotificationIds = append(p.NotificationIds, ids.New("ntf_"))
		p.PushRouteIds = append(p.PushRouteIds, ids.New("nrt_"))
		p.EmailRouteIds = append(p.EmailRouteIds, ids.New("nrt_"))
	}
	routes, err := notificationstore.New(tx).InsertIntent(ctx, p)
	if err != nil {
		return fmt.Errorf("notification %s: %w", in.Kind, err)
	}
	if len(routes) == 0 {
		return nil // every recipient had it already, or wants no delivery
	}
	if _, err := s.river.InsertTx(ctx, tx, DispatchArgs{RouteIDs: routes}, s.insertOpts()); err != nil {
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
