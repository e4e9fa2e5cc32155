package notification

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/notification/notificationstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Notification is one inbox entry.
type Notification = notificationstore.Notification

// Route is one delivery of a notification over one channel.
type Route = notificationstore.NotificationRoute

// DeadLetter is a route that exhausted its budget, with what it was for.
type DeadLetter = notificationstore.ListDeadLettersRow

// Preference says over which channels a user receives a kind.
type Preference struct {
	Kind  string `json:"kind"`
	Push  bool   `json:"push"`
	Email bool   `json:"email"`
	// ReportFormat is, for game.turn.ready only, how its mail carries the
	// report: ReportInline (the default), ReportAttachment or ReportLink.
	ReportFormat string `json:"report_format,omitempty"`
}

// Report formats of the game.turn.ready mail.
const (
	ReportInline     = "inline"
	ReportAttachment = "attachment"
	ReportLink       = "link"
	// KindTurnReady is the kind whose mail carries the report.
	KindTurnReady = "game.turn.ready"
)

// ErrNotFound is returned for a notification that does not exist or is not
// the caller's.
var ErrNotFound = errs.E(errs.NotFound, "no such notification")

// ErrDeadLetterNotFound is returned when replaying a route that is not
// dead-lettered.
var ErrDeadLetterNotFound = errs.E(errs.NotFound, "no such dead letter")

// Page is one page of a user's inbox.
type Page struct {
	Items []Notification
	Next  *httpx.Cursor
}

// List returns a user's notifications, newest first, after the cursor;
// unreadOnly leaves out the read ones.
func (s *Service) List(ctx context.Context, userID string, unreadOnly bool, limit int, after *httpx.Cursor) (Page, error) {
	p := notificationstore.ListNotificationsParams{UserID: userID, UnreadOnly: unreadOnly, MaxRows: int32(limit + 1)}
	if after != nil {
		p.BeforeCreated, p.BeforeID = &after.At, &after.ID
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := notificationstore.New(s.db.Pool).ListNotifications(ctx, p)
	if err != nil {
		return Page{}, postgres.Translate(err)
	}
	page := Page{Items: rows}
	if len(rows) > limit {
		page.Items = rows[:limit]
		last := page.Items[limit-1]
		page.Next = &httpx.Cursor{At: last.CreatedAt, ID: last.NotificationID}
	}
	return page, nil
}

// MarkRead marks one of the user's notifications read and returns it;
// ErrNotFound when it is not theirs.
func (s *Service) MarkRead(ctx context.Context, userID, notificationID string) (Notification, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	n, err := notificationstore.New(s.db.Pool).MarkRead(ctx, notificationstore.MarkReadParams{NotificationID: notificationID, UserID: userID})
	if postgres.IsNoRows(err) {
		return Notification{}, ErrNotFound.WithDetail("notification_id", notificationID)
	}
	return n, postgres.Translate(err)
}

// MarkAllRead marks every unread notification of the user read and returns
// how many changed.
func (s *Service) MarkAllRead(ctx context.Context, userID string) (int64, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	n, err := notificationstore.New(s.db.Pool).MarkAllRead(ctx, userID)
	return n, postgres.Translate(err)
}

// Preferences returns the user's routing for every known kind (stored
// choices over the defaults).
func (s *Service) Preferences(ctx context.Context, userID string) ([]Preference, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	return preferences(ctx, notificationstore.New(s.db.Pool), userID)
}

func preferences(ctx context.Context, q *notificationstore.Queries, userID string) ([]Preference, error) {
	stored, err := q.ListPreferences(ctx, userID)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	byKind := make(map[string]Preference, len(stored))
	for _, p := range stored {
		byKind[p.Kind] = Preference{Kind: p.Kind, Push: p.Push, Email: p.Email}
		if p.Kind == KindTurnReady {
			byKind[p.Kind] = Preference{Kind: p.Kind, Push: p.Push, Email: p.Email, ReportFormat: p.ReportFormat}
		}
	}
	out := make([]Preference, 0, len(KnownKinds))
	for _, k := range KnownKinds {
		p, ok := byKind[k]
		if !ok {
			p = DefaultPreference(k)
		}
		out = append(out, p)
	}
	return out, nil
}

// SetPreferences replaces the user's routing of the given kinds and returns
// the routing of every known kind. An unknown kind, a kind given twice, or
// email for a kind that is never mailed is invalid_argument.
func (s *Service) SetPreferences(ctx context.Context, userID string, prefs []Preference) ([]Preference, error) {
	seen := map[string]bool{}
	for _, p := range prefs {
		switch {
		case !IsKnownKind(p.Kind):
			return nil, errs.E(errs.InvalidArgument, "unknown notification kind %q", p.Kind).
				WithDetail("kind", p.Kind).WithDetail("known_kinds", KnownKinds)
		case seen[p.Kind]:
			return nil, errs.E(errs.InvalidArgument, "kind %q is given twice", p.Kind).WithDetail("kind", p.Kind)
		case p.Email && EmailTemplates[p.Kind] == "":
			return nil, errs.E(errs.InvalidArgument, "kind %q is never sent by email", p.Kind).WithDetail("kind", p.Kind)
		case p.ReportFormat != "" && p.Kind != KindTurnReady:
			return nil, errs.E(errs.InvalidArgument, "report_format is for %s only", KindTurnReady).
				WithDetail("field", "report_format").WithDetail("kind", p.Kind)
		case p.ReportFormat != "" && p.ReportFormat != ReportInline && p.ReportFormat != ReportAttachment && p.ReportFormat != ReportLink:
			return nil, errs.E(errs.InvalidArgument, "report_format must be inline, attachment or link, not %q", p.ReportFormat).
				WithDetail("field", "report_format")
		}
		seen[p.Kind] = true
	}
	var out []Preference
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := notificationstore.New(tx)
		for _, p := range prefs {
			format := p.ReportFormat
			if format == "" {
				format = ReportInline
			}
			if err := q.UpsertPreference(ctx, notificationstore.UpsertPreferenceParams{
				UserID: userID, Kind: p.Kind, Push: p.Push, Email: p.Email, ReportFormat: format,
			}); err != nil {
				return err
			}
		}
		var err error
		out, err = preferences(ctx, q, userID)
		return err
	})
	return out, err
}

// DeadLetterPage is one page of dead letters.
type DeadLetterPage struct {
	Items []DeadLetter
	Next  *httpx.Cursor
}

// DeadLetters lists dead-lettered routes, most recent first.
func (s *Service) DeadLetters(ctx context.Context, limit int, after *httpx.Cursor) (DeadLetterPage, error) {
	p := notificationstore.ListDeadLettersParams{MaxRows: int32(limit + 1)}
	if after != nil {
		p.BeforeFailed, p.BeforeID = &after.At, &after.ID
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := notificationstore.New(s.db.Pool).ListDeadLetters(ctx, p)
	if err != nil {
		return DeadLetterPage{}, postgres.Translate(err)
	}
	page := DeadLetterPage{Items: rows}
	if len(rows) > limit {
		page.Items = rows[:limit]
		last := page.Items[limit-1]
		page.Next = &httpx.Cursor{At: last.FailedAt, ID: last.RouteID}
	}
	return page, nil
}

// Replay re-queues a dead-lettered route as a new attempt series (its
// attempts start again from zero) and returns it. ErrDeadLetterNotFound when
// the route is not dead-lettered (never, or already replayed).
func (s *Service) Replay(ctx context.Context, routeID string) (Route, error) {
	var r Route
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := notificationstore.New(tx)
		if _, err := q.LockRoute(ctx, routeID); err != nil {
			return err
		}
		if _, err := q.DeleteDeadLetter(ctx, routeID); err != nil {
			return err
		}
		if err := q.RequeueRoute(ctx, routeID); err != nil {
			return err
		}
		if _, err := s.river.InsertTx(ctx, tx, DispatchArgs{RouteIDs: []string{routeID}}, s.insertOpts()); err != nil {
			return err
		}
		var err error
		r, err = q.GetRoute(ctx, routeID)
		return err
	})
	if errs.Is(err, errs.NotFound) {
		return Route{}, ErrDeadLetterNotFound.WithDetail("id", routeID)
	}
	if err == nil {
		s.logger.InfoContext(ctx, "notification route replayed", "route_id", routeID)
	}
	return r, err
}

// payloadObject returns a stored payload as a JSON object for responses.
func payloadObject(raw json.RawMessage) map[string]any {
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return out
}

// utc is a helper for response timestamps.
func utc(t time.Time) time.Time { return t.UTC() }
