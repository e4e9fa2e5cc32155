package notification

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/groupcommit"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/notification/notificationstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/push"
)

// DispatchArgs is the River job that attempts the routes of one intent
// (every recipient, every channel): one job, not one per route, since
// River's own work per job is most of a route's cost.
type DispatchArgs struct {
	RouteIDs []string `json:"route_ids,omitempty"`
	// RouteID is the one route of a job enqueued before jobs carried
	// several.
	RouteID string `json:"route_id,omitempty"`
}

// routes returns the job's routes.
func (a DispatchArgs) routes() []string {
	if a.RouteID != "" {
		return append([]string{a.RouteID}, a.RouteIDs...)
	}
	return a.RouteIDs
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

// Work attempts the job's routes still pending, in a transaction shared
// with the attempts running at the same time (see attemptBatch). Each
// failure is counted against its route; while one is within budget the
// job returns an error and River retries it after NextRetry (the routes
// delivered meanwhile are then left alone). Once every failed route is
// dead-lettered, the job is cancelled. A job whose routes were all
// delivered is completed by River afterwards: should the process die
// first, the job runs again and finds them delivered.
func (w *dispatchWorker) Work(ctx context.Context, job *river.Job[DispatchArgs]) error {
	routes := job.Args.routes()
	failed, _ := w.s.attempts.Do(routes)
	last := job.Attempt >= job.MaxAttempts
	var retry, gaveUp []error
	for i, attemptErr := range failed {
		if attemptErr == nil {
			continue
		}
		dead, err := w.s.recordFailure(ctx, routes[i], attemptErr, last)
		if dead {
			gaveUp = append(gaveUp, err)
		} else {
			retry = append(retry, err)
		}
	}
	if len(retry) > 0 {
		return errors.Join(retry...)
	}
	if len(gaveUp) > 0 {
		return river.JobCancel(errors.Join(gaveUp...))
	}
	return nil
}

// Dispatch runs one attempt of a route outside River, exactly as the worker
// does: a route no longer pending is left alone. It returns the attempt's
// error, if any.
func (s *Service) Dispatch(ctx context.Context, routeID string) error {
	attemptErr, err := s.attempt(ctx, []string{routeID})
	if err != nil {
		attemptErr = []error{err}
	}
	if attemptErr[0] == nil {
		return nil
	}
	_, err = s.recordFailure(ctx, routeID, attemptErr[0], false)
	return err
}

// maxBatch bounds the jobs one shared attempt carries (an intent to a
// whole game makes one job of a route or two per player).
const maxBatch = 50

// attemptTimeout bounds one shared attempt: both channels only touch the
// database and memory (mail is sent by the mail worker).
const attemptTimeout = 30 * time.Second

// attemptBatch attempts the routes of concurrent jobs in one transaction
// and returns each job's failures, one per route (nil for a delivered or
// skipped route). When that transaction fails as a whole (a database
// error, which aborts it), no route is charged with it: each job is
// attempted again on its own, and when that fails too, its routes one by
// one.
func (s *Service) attemptBatch(jobs [][]string) []groupcommit.Result[[]error] {
	ctx, cancel := context.WithTimeout(context.Background(), attemptTimeout)
	defer cancel()
	res := make([]groupcommit.Result[[]error], len(jobs))
	all := slices.Concat(jobs...)
	failed, err := s.attempt(ctx, all)
	if err == nil {
		for i, routes := range jobs {
			res[i].Out, failed = failed[:len(routes)], failed[len(routes):]
		}
		return res
	}
	for i, routes := range jobs {
		if len(jobs) > 1 {
			if res[i].Out, err = s.attempt(ctx, routes); err == nil {
				continue
			}
		}
		res[i].Out = make([]error, len(routes))
		for j, id := range routes {
			if len(routes) == 1 {
				res[i].Out[j] = err
				continue
			}
			one, err := s.attempt(ctx, []string{id})
			if err != nil {
				res[i].Out[j] = err
			} else {
				res[i].Out[j] = one[0]
			}
		}
	}
	return res
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

// attempt delivers pending routes in one transaction: pushes are published,
// email routes' mails accepted in one intake, and the delivered routes
// marked in one statement. Routes no longer pending (delivered or dead
// already: a retried job; or deleted with their user) are left alone. It
// returns each route's own failure, which leaves that route pending, or the
// error that failed the transaction for all of them.
func (s *Service) attempt(ctx context.Context, routeIDs []string) ([]error, error) {
	var failed []error
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		failed = make([]error, len(routeIDs))
		q := notificationstore.New(tx)
		rows, err := q.LockRoutes(ctx, routeIDs)
		if err != nil {
			return err
		}
		locked := make(map[string]notificationstore.LockRoutesRow, len(rows))
		for _, r := range rows {
			locked[r.RouteID] = r
		}
		var done notificationstore.MarkDeliveredParams
		var mails []mail.Request
		var mailed []int // index in routeIDs of each of mails
		for i, id := range routeIDs {
			r, ok := locked[id]
			if !ok || r.Status != RoutePending {
				continue
			}
			delete(locked, id) // a route twice in one batch is attempted once
			if s.beforeAttempt != nil {
				if failed[i] = s.beforeAttempt(id, r.Channel); failed[i] != nil {
					continue
				}
			}
			switch r.Channel {
			case ChannelPush:
				if failed[i] = s.publish(r); failed[i] == nil {
					done.RouteIds = append(done.RouteIds, id)
					done.DeliveryIds = append(done.DeliveryIds, "")
				}
			case ChannelEmail:
				req, err := s.email(ctx, tx, r)
				if te := (*txError)(nil); errors.As(err, &te) {
					return te.err
				}
				if failed[i] = err; err == nil {
					mails = append(mails, req)
					mailed = append(mailed, i)
				}
			default:
				failed[i] = &permanentError{msg: fmt.Sprintf("unknown channel %q", r.Channel)}
			}
		}
		if len(mails) > 0 {
			out, err := s.mailer.EnqueueManyTx(ctx, tx, mails)
			if err != nil {
				return err
			}
			for j, o := range out {
				i := mailed[j]
				if o.Err != nil {
					failed[i] = fmt.Errorf("mail %s: %w", mails[j].Template, o.Err)
					continue
				}
				done.RouteIds = append(done.RouteIds, routeIDs[i])
				done.DeliveryIds = append(done.DeliveryIds, o.DeliveryID)
			}
		}
		if len(done.RouteIds) == 0 {
			return nil
		}
		return q.MarkDelivered(ctx, done)
	})
	return failed, err
}

// recordFailure counts a failed attempt of a route and, when the failure
// is permanent, the attempt the last one or the budget spent, dead-letters
// the route (dead = true). It returns the attempt's error, or the error of
// recording it.
func (s *Service) recordFailure(ctx context.Context, routeID string, attemptErr error, last bool) (dead bool, err error) {
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

func (s *Service) publish(r notificationstore.LockRoutesRow) error {
	raw, err := json.Marshal(pushBody{NotificationID: r.NotificationID, Kind: r.Kind, Payload: r.Payload, CreatedAt: r.CreatedAt.UTC()})
	if err != nil {
		return &permanentError{msg: "push body not encodable: " + err.Error()}
	}
	s.pub.Publish(push.Event{UserIDs: []string{r.UserID}, Kind: r.Kind, Payload: raw})
	return nil
}

// email builds the route's mail, keyed by the route id so that a retried
// attempt never mails twice. An error of a statement in tx (which aborts
// it) is a txError.
func (s *Service) email(ctx context.Context, tx pgx.Tx, r notificationstore.LockRoutesRow) (mail.Request, error) {
	template, ok := EmailTemplates[r.Kind]
	if !ok {
		return mail.Request{}, &permanentError{msg: fmt.Sprintf("kind %s has no mail template", r.Kind)}
	}
	u, err := s.users.Get(ctx, r.UserID)
	if err != nil {
		return mail.Request{}, fmt.Errorf("recipient %s: %w", r.UserID, err)
	}
	data, err := s.emailData(ctx, template, r.Payload)
	if err != nil {
		return mail.Request{}, err
	}
	if r.Kind == KindTurnReady {
		format, err := notificationstore.New(tx).GetReportFormat(ctx, r.UserID)
		if postgres.IsNoRows(err) {
			format, err = ReportInline, nil
		}
		if err != nil {
			return mail.Request{}, &txError{err}
		}
		data["report_format"] = format
	}
	var files []mail.Attachment
	if s.enrich != nil {
		if files, err = s.enrich.EnrichMailTx(ctx, tx, r.Kind, r.UserID, data); err != nil {
			return mail.Request{}, &txError{fmt.Errorf("mail data of %s: %w", r.Kind, err)}
		}
	}
	return mail.Request{IdempotencyKey: r.RouteID, Template: template, To: []string{u.Email}, Locale: "en",
		Data: data, Attachments: files}, nil
}

// txError is the error of a statement in an attempt's transaction: it
// fails the transaction, and so every route attempted in it.
type txError struct{ err error }

func (e *txError) Error() string { return e.err.Error() }
func (e *txError) Unwrap() error { return e.err }

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
