package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/galaxy-platform/galaxy/internal/backoff"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/mail/mailstore"
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

// Work performs one attempt: mark the delivery sending, send outside any
// transaction, then record the outcome — and, on success, complete the job in
// that same transaction, so a recorded success is never sent again.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	s := w.s
	id := job.Args.DeliveryID
	var (
		attemptNo int32
		msg       Message
		skip      bool
	)
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := mailstore.New(tx)
		d, err := q.LockDelivery(ctx, id)
		if err != nil {
			return err
		}
		// Anything but queued or sending (a previous attempt cut short by a
		// crash) is final: a cancelled or already-sent delivery is not sent.
		if d.Status != StatusQueued && d.Status != StatusSending {
			skip = true
			return nil
		}
		if attemptNo, err = q.StartAttempt(ctx, id); err != nil {
			return err
		}
		p, err := q.GetPayload(ctx, id)
		if err != nil {
			return err
		}
		to, err := q.ListRecipients(ctx, id)
		if err != nil {
			return err
		}
		msg = Message{DeliveryID: id, To: to, Subject: p.Subject, Text: p.TextBody, HTML: p.HtmlBody, InReplyTo: d.InReplyTo}
		if err := json.Unmarshal(p.Attachments, &msg.Attachments); err != nil {
			return fmt.Errorf("attachments of %s: %w", id, err)
		}
		return nil
	})
	if errs.Is(err, errs.NotFound) {
		// Deleted by retention or never committed: nothing to send.
		return river.JobCancel(fmt.Errorf("delivery %s no longer exists", id))
	}
	if err != nil {
		return err
	}
	if skip {
		return nil
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
	err = s.db.InTx(context.WithoutCancel(ctx), func(ctx context.Context, tx pgx.Tx) error {
		q := mailstore.New(tx)
		if err := q.InsertAttempt(ctx, attempt); err != nil {
			return err
		}
		switch {
		case se == nil:
			if err := q.MarkSent(ctx, id); err != nil {
				return err
			}
			_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
			return err
		case final:
			reason := se.Error()
			if !se.Permanent {
				reason = fmt.Sprintf("gave up after %d attempts: %s", attemptNo, se.Error())
			}
			if err := q.MarkFailed(ctx, mailstore.MarkFailedParams{DeliveryID: id, LastError: &reason}); err != nil {
				return err
			}
			return q.InsertDeadLetter(ctx, mailstore.InsertDeadLetterParams{
				DeliveryID: id, Attempts: attemptNo, SmtpCode: attempt.SmtpCode, Reason: reason,
			})
		default:
			next := time.Now().Add(delay)
			last := se.Error()
			return q.MarkRetry(ctx, mailstore.MarkRetryParams{DeliveryID: id, LastError: &last, NextAttemptAt: &next})
		}
	})
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
