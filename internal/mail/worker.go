package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/groupcommit"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail/mailstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// SendArgs is the River job that attempts one delivery.
type SendArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "mail.send" }

// sendWorker runs one attempt per job attempt.
type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	s *Service
}

// RegisterWorkers adds the mail workers and the retention job to c.
func (s *Service) RegisterWorkers(c *jobs.Client) {
	jobs.Register(c, &sendWorker{s: s})
	jobs.Register(c, &cleanupWorker{s: s})
	c.River().PeriodicJobs().Add(river.NewPeriodicJob(
		river.PeriodicInterval(s.cfg.CleanupInterval),
		func() (river.JobArgs, *river.InsertOpts) { return CleanupArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "mail.cleanup"},
	))
}

// Timeout bounds one attempt a little beyond the SMTP deadline, so the job
// is never rescued (and re-sent) while its attempt may still be running.
func (w *sendWorker) Timeout(*river.Job[SendArgs]) time.Duration {
	return w.s.cfg.SMTPTimeout + 10*time.Second
}

// Work performs one attempt: claim it (mark the delivery sending), send
// outside any transaction, then record the outcome.
//
// The claim succeeds only on a delivery that is queued, or sending after an
// attempt cut short by a crash; that check, not the job's state, is what
// keeps a recorded success (or a final failure) from ever being sent again,
// so the job itself is completed by River's batched completer rather than
// in the transaction that records the success: if the process dies in
// between, the rescued job finds the delivery sent and does nothing.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	s := w.s
	id := job.Args.DeliveryID
	attemptNo, msg, err := s.claimAttempt(id)
	switch {
	case errors.Is(err, errFinal):
		// Sent, failed, cancelled or suppressed: nothing left to do.
		return nil
	case errs.Is(err, errs.NotFound):
		// Deleted by retention or never committed: nothing to send.
		return river.JobCancel(fmt.Errorf("delivery %s no longer exists", id))
	case err != nil:
		return err
	}

	started := time.Now()
	sendErr := s.provider.Send(ctx, msg)
	elapsed := time.Since(started)
	s.metrics.attempted(ctx, sendErr, elapsed)

	var se *SendError
	if sendErr != nil && !errors.As(sendErr, &se) {
		se = &SendError{Err: sendErr}
	}
	attempt := mailstore.InsertAttemptParams{
		DeliveryID: id, AttemptNo: attemptNo, StartedAt: started,
		DurationMs: float64(elapsed.Microseconds()) / 1000, Outcome: "sent",
	}
	if se != nil {
		attempt.Outcome = "temporary_failure"
		if se.Permanent {
			attempt.Outcome = "permanent_failure"
		}
		msgText := se.Error()
		attempt.Error = &msgText
		if se.Code != 0 {
			code := int32(se.Code)
			attempt.SmtpCode = &code
		}
	}

	final := se != nil && (se.Permanent || int(attemptNo) >= s.cfg.MaxAttempts)
	var delay time.Duration
	if se != nil && !final {
		delay = backoff.Delay(int(attemptNo), s.cfg.RetryBaseDelay, s.cfg.RetryMaxDelay)
	}
	if se == nil {
		err = s.recordSent(attempt)
	} else {
		err = s.recordFailure(context.WithoutCancel(ctx), attempt, se, final, delay)
	}
	if err != nil {
		return fmt.Errorf("record attempt of %s: %w", id, err)
	}
	switch {
	case se == nil:
		s.logger.InfoContext(ctx, "mail sent", "delivery_id", id, "attempt", attemptNo)
		return nil
	case final:
		s.logger.WarnContext(ctx, "mail failed", "delivery_id", id, "attempt", attemptNo, "error", se)
		return river.JobCancel(se)
	default:
		s.logger.WarnContext(ctx, "mail attempt failed; will retry", "delivery_id", id, "attempt", attemptNo,
			"retry_in", delay.String(), "error", se)
		return river.JobSnooze(delay)
	}
}

// errFinal is the claim's answer for a delivery that is no longer to be sent.
var errFinal = errors.New("delivery is final")

// claim is what a successful claim returns: the attempt's number and the
// message to send.
type claim struct {
	attemptNo int32
	msg       Message
}

// claimAttempt starts the next attempt of a delivery: it marks the delivery
// sending, counts the attempt and reads what to send, in one statement
// shared with the attempts claimed at the same time (see groupcommit). A
// delivery that is not queued or sending yields errFinal; one that does not
// exist, errs.NotFound.
func (s *Service) claimAttempt(id string) (int32, Message, error) {
	c, err := s.claims.Do(id)
	return c.attemptNo, c.msg, err
}

// claimBatch claims the attempts of a batch of deliveries in one statement.
func (s *Service) claimBatch(ids []string) []groupcommit.Result[claim] {
	res := make([]groupcommit.Result[claim], len(ids))
	// A delivery twice in the batch (two jobs at once) is claimed twice,
	// one after the other, as it would be without batching.
	index := make(map[string]int, len(ids))
	var unique []string
	var again []int
	for i, id := range ids {
		if _, dup := index[id]; dup {
			again = append(again, i)
			continue
		}
		index[id] = i
		unique = append(unique, id)
	}
	ctx, cancel := s.db.WithTimeout(context.Background())
	defer cancel()
	q := mailstore.New(s.pool())
	rows, err := q.StartAttempts(ctx, unique)
	if err != nil {
		if len(ids) == 1 || !answered(err) {
			for i := range res {
				res[i].Err = postgres.Translate(err)
			}
			return res
		}
		// The server refused the statement: that need not be every
		// attempt's fault (a deadlock, say), so try them one by one.
		for i, id := range ids {
			res[i] = s.claimBatch([]string{id})[0]
		}
		return res
	}
	claimed := make(map[string]bool, len(rows))
	for _, row := range rows {
		i := index[row.DeliveryID]
		claimed[row.DeliveryID] = true
		msg := Message{DeliveryID: row.DeliveryID, To: row.Recipients, Subject: row.Subject, Text: row.TextBody,
			HTML: row.HtmlBody, InReplyTo: row.InReplyTo}
		if err := json.Unmarshal(row.Attachments, &msg.Attachments); err != nil {
			res[i].Err = fmt.Errorf("attachments of %s: %w", row.DeliveryID, err)
			continue
		}
		res[i].Out = claim{attemptNo: row.AttemptCount, msg: msg}
	}
	for _, id := range unique {
		if claimed[id] {
			continue
		}
		// Rare: tell a final delivery from a missing one.
		i := index[id]
		switch status, err := q.GetDeliveryStatus(ctx, id); {
		case err != nil:
			res[i].Err = postgres.Translate(err)
		case status == StatusQueued || status == StatusSending:
			// Claimable yet not claimed: its payload is missing, which
			// intake never allows. Fail the job loudly rather than
			// complete it.
			res[i].Err = fmt.Errorf("delivery %s is %s but has no payload", id, status)
		default:
			res[i].Err = errFinal
		}
	}
	for _, i := range again {
		res[i] = s.claimBatch([]string{ids[i]})[0]
	}
	return res
}

// recordSent records a successful attempt and marks the delivery sent, in
// one statement shared with the successes recorded at the same time (see
// groupcommit). It returns once that statement committed.
func (s *Service) recordSent(a mailstore.InsertAttemptParams) error {
	_, err := s.sents.Do(a)
	return err
}

// recordSentBatch records a batch of successful attempts in one statement.
func (s *Service) recordSentBatch(attempts []mailstore.InsertAttemptParams) []groupcommit.Result[struct{}] {
	res := make([]groupcommit.Result[struct{}], len(attempts))
	p := mailstore.MarkSentParams{
		DeliveryIds: make([]string, len(attempts)), AttemptNos: make([]int32, len(attempts)),
		StartedAts: make([]time.Time, len(attempts)), DurationsMs: make([]float64, len(attempts)),
	}
	for i, a := range attempts {
		p.DeliveryIds[i], p.AttemptNos[i], p.StartedAts[i], p.DurationsMs[i] = a.DeliveryID, a.AttemptNo, a.StartedAt, a.DurationMs
	}
	ctx, cancel := s.db.WithTimeout(context.Background())
	defer cancel()
	err := mailstore.New(s.pool()).MarkSent(ctx, p)
	if err != nil && len(attempts) > 1 && answered(err) {
		// As in claimBatch: record them one by one.
		for i, a := range attempts {
			res[i] = s.recordSentBatch([]mailstore.InsertAttemptParams{a})[0]
		}
		return res
	}
	err = postgres.Translate(err)
	for i := range res {
		res[i].Err = err
	}
	return res
}

// answered reports an error the server returned for a statement, as opposed
// to a timeout or a lost connection, where trying the batch's deliveries one
// by one would only multiply the wait.
func answered(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr)
}

// recordFailure records a failed attempt, and either the retry to come or
// the final failure with its dead letter, in one transaction.
func (s *Service) recordFailure(ctx context.Context, attempt mailstore.InsertAttemptParams, se *SendError, final bool, delay time.Duration) error {
	id := attempt.DeliveryID
	return s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := mailstore.New(tx)
		if err := q.InsertAttempt(ctx, attempt); err != nil {
			return err
		}
		if final {
			reason := se.Error()
			if !se.Permanent {
				reason = fmt.Sprintf("gave up after %d attempts: %s", attempt.AttemptNo, se.Error())
			}
			if err := q.MarkFailed(ctx, mailstore.MarkFailedParams{DeliveryID: id, LastError: &reason}); err != nil {
				return err
			}
			return q.InsertDeadLetter(ctx, mailstore.InsertDeadLetterParams{
				DeliveryID: id, Attempts: attempt.AttemptNo, SmtpCode: attempt.SmtpCode, Reason: reason,
			})
		}
		next := time.Now().Add(delay)
		last := se.Error()
		return q.MarkRetry(ctx, mailstore.MarkRetryParams{DeliveryID: id, LastError: &last, NextAttemptAt: &next})
	})
}
