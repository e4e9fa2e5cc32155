package notification

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/notification/notificationstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/push"
)

// DispatchArgs is the River job that attempts one route.
type DispatchArgs struct {
	RouteID string `json:"route_id"`
}

// Kind implements river.JobArgs.
func (DispatchArgs) Kind() string { return "notification.dispatch" }

// RegisterWorkers adds the dispatch worker to c.
func (s *Service) RegisterWorkers(c *jobs.Client) {
	jobs.Register(c, &dispatchWorker{s: s})
}

type dispatchWorker struct {
	river.WorkerDefaults[DispatchArgs]
	s *Service
}

// Timeout bounds one attempt: both channels only touch the database and
// memory (mail is sent by the mail worker).
func (w *dispatchWorker) Timeout(*river.Job[DispatchArgs]) time.Duration { return 30 * time.Second }

// NextRetry is exponential backoff from BACKEND_NOTIFICATION_RETRY_BASE_DELAY
// with equal jitter (internal/backoff), capped by BACKEND_NOTIFICATION_RETRY_MAX_DELAY.
func (w *dispatchWorker) NextRetry(job *river.Job[DispatchArgs]) time.Time {
	return time.Now().Add(backoff.Delay(job.Attempt, w.s.cfg.RetryBaseDelay, w.s.cfg.RetryMaxDelay))
}

// Work attempts the route; a success completes the job in the transaction
// that records it. A failure within budget is returned (River retries after
// NextRetry); a dead-lettered route cancels the job.
func (w *dispatchWorker) Work(ctx context.Context, job *river.Job[DispatchArgs]) error {
	last := job.Attempt >= job.MaxAttempts
	dead, err := w.s.dispatch(ctx, job.Args.RouteID, last, func(ctx context.Context, tx pgx.Tx) error {
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
	if dead {
		return river.JobCancel(err)
	}
	return err
}

// Dispatch runs one attempt of a route outside River, exactly as the worker
// does (without completing a job): a route no longer pending is left alone.
// It returns the attempt's error, if any.
func (s *Service) Dispatch(ctx context.Context, routeID string) error {
	_, err := s.dispatch(ctx, routeID, false, nil)
	return err
}

// permanentError marks a failure that no retry can fix.
type permanentError struct{ msg string }

func (e *permanentError) Error() string { return e.msg }

// isPermanent reports failures a retry cannot fix: data the template lacks,
// a request the mail service refuses, a recipient that no longer exists.
func isPermanent(err error) bool {
	var pe *permanentError
	if errors.As(err, &pe) {
		return true
	}
	switch errs.CodeOf(err) {
	case errs.InvalidArgument, errs.NotFound, errs.Conflict:
		return true
	}
	return false
}

// dispatch attempts a route. On success the route is marked delivered and
// finish (when set) runs in the same transaction. On failure the attempt is
// counted and, when the failure is permanent, the attempt the last one or the
// budget spent, the route is dead-lettered (dead = true).
func (s *Service) dispatch(ctx context.Context, routeID string, last bool, finish func(context.Context, pgx.Tx) error) (dead bool, err error) {
	var skip bool
	attemptErr := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := notificationstore.New(tx)
		r, err := q.LockRoute(ctx, routeID)
		if postgres.IsNoRows(err) {
			skip = true // the notification was deleted with its user
			return nil
		}
		if err != nil {
			return err
		}
		if r.Status != RoutePending {
			skip = true // delivered or dead already: a retried job does nothing
			return nil
		}
		if s.beforeAttempt != nil {
			if err := s.beforeAttempt(routeID, r.Channel); err != nil {
				return err
			}
		}
		var deliveryID *string
		switch r.Channel {
		case ChannelPush:
			if err := s.publish(r); err != nil {
				return err
			}
		case ChannelEmail:
			id, err := s.email(ctx, tx, r)
			if err != nil {
				return err
			}
			deliveryID = &id
		default:
			return &permanentError{msg: fmt.Sprintf("unknown channel %q", r.Channel)}
		}
		if err := q.MarkDelivered(ctx, notificationstore.MarkDeliveredParams{RouteID: routeID, DeliveryID: deliveryID}); err != nil {
			return err
		}
		if finish != nil {
			return finish(ctx, tx)
		}
		return nil
	})
	if attemptErr == nil || skip {
		return false, nil
	}

	permanent := isPermanent(attemptErr)
	var attempts int32
	err = s.db.InTx(context.WithoutCancel(ctx), func(ctx context.Context, tx pgx.Tx) error {
		q := notificationstore.New(tx)
		msg := attemptErr.Error()
		n, err := q.RecordFailure(ctx, notificationstore.RecordFailureParams{RouteID: routeID, LastError: &msg})
		if postgres.IsNoRows(err) {
			return nil // no longer pending
		}
		if err != nil {
			return err
		}
		attempts = n
		if !permanent && !last && int(n) < s.cfg.MaxAttempts {
			return nil
		}
		dead = true
		reason := msg
		if !permanent {
			reason = fmt.Sprintf("gave up after %d attempts: %s", n, msg)
		}
		if err := q.MarkDead(ctx, routeID); err != nil {
			return err
		}
		return q.UpsertDeadLetter(ctx, notificationstore.UpsertDeadLetterParams{RouteID: routeID, Reason: reason, Attempts: n})
	})
	if err != nil {
		return false, fmt.Errorf("record failed attempt of route %s (%w): %w", routeID, attemptErr, err)
	}
	if dead {
		s.logger.WarnContext(ctx, "notification route dead-lettered", "route_id", routeID, "attempts", attempts,
			"permanent", permanent, "error", attemptErr)
	} else {
		s.logger.WarnContext(ctx, "notification route attempt failed; will retry", "route_id", routeID,
			"attempts", attempts, "error", attemptErr)
	}
	return dead, attemptErr
}

// pushBody is what gateways receive for a notification.
type pushBody struct {
	NotificationID string          `json:"notification_id"`
	Kind           string          `json:"kind"`
	Payload        json.RawMessage `json:"payload"`
	CreatedAt      time.Time       `json:"created_at"`
}

func (s *Service) publish(r notificationstore.LockRouteRow) error {
	raw, err := json.Marshal(pushBody{NotificationID: r.NotificationID, Kind: r.Kind, Payload: r.Payload, CreatedAt: r.CreatedAt.UTC()})
	if err != nil {
		return &permanentError{msg: "push body not encodable: " + err.Error()}
	}
	s.pub.Publish(push.Event{UserIDs: []string{r.UserID}, Kind: r.Kind, Payload: raw})
	return nil
}

// email enqueues the route's mail in tx, keyed by the route id, and returns
// the delivery id (the first one, when the key was already used).
func (s *Service) email(ctx context.Context, tx pgx.Tx, r notificationstore.LockRouteRow) (string, error) {
	template, ok := EmailTemplates[r.Kind]
	if !ok {
		return "", &permanentError{msg: fmt.Sprintf("kind %s has no mail template", r.Kind)}
	}
	u, err := s.users.Get(ctx, r.UserID)
	if err != nil {
		return "", fmt.Errorf("recipient %s: %w", r.UserID, err)
	}
	data, err := s.emailData(ctx, template, r.Payload)
	if err != nil {
		return "", err
	}
	if r.Kind == KindTurnReady {
		format, err := notificationstore.New(tx).GetReportFormat(ctx, r.UserID)
		if postgres.IsNoRows(err) {
			format, err = ReportInline, nil
		}
		if err != nil {
			return "", err
		}
		data["report_format"] = format
	}
	var files []mail.Attachment
	if s.enrich != nil {
		if files, err = s.enrich.EnrichMailTx(ctx, tx, r.Kind, r.UserID, data); err != nil {
			return "", fmt.Errorf("mail data of %s: %w", r.Kind, err)
		}
	}
	res, err := s.mailer.EnqueueTx(ctx, tx, mail.Request{
		IdempotencyKey: r.RouteID, Template: template, To: []string{u.Email}, Locale: "en", Data: data,
		Attachments: files,
	})
	if err != nil {
		return "", fmt.Errorf("mail %s: %w", template, err)
	}
	return res.DeliveryID, nil
}

// emailData builds a template's data from a payload: the payload's keys, plus
// the keys a template names differently (an invite's expiry is the end of
// enrollment; the inviter is named, not identified). Every key the template
// needs must be present, or the route fails with a reason that names them.
func (s *Service) emailData(ctx context.Context, template string, payload json.RawMessage) (map[string]any, error) {
	data := map[string]any{}
	if len(payload) > 0 {
		if err := json.Unmarshal(payload, &data); err != nil {
			return nil, &permanentError{msg: "payload is not a JSON object: " + err.Error()}
		}
	}
	if template == "lobby.invite.created" {
		if _, ok := data["enrollment_ends_at"]; !ok && data["expires_at"] != nil {
			data["enrollment_ends_at"] = data["expires_at"]
		}
		if _, ok := data["inviter_name"]; !ok {
			if id, _ := data["inviter_user_id"].(string); id != "" {
				inviter, err := s.users.Get(ctx, id)
				if err != nil {
					return nil, fmt.Errorf("inviter %s: %w", id, err)
				}
				data["inviter_name"] = inviter.DisplayName
			}
		}
	}
	var missing []string
	for _, k := range TemplateKeys[template] {
		if _, ok := data[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, &permanentError{msg: fmt.Sprintf("the payload lacks %s, needed by mail template %s",
			strings.Join(missing, ", "), template)}
	}
	return data, nil
}
