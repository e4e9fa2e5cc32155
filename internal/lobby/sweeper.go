package lobby

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/galaxy-platform/galaxy/internal/jobs"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
)

// SweepArgs is the periodic lobby sweep (leader only): expired enrollments.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "lobby.sweep_enrollments" }

// ExpireNamesArgs is the periodic release of expired pending registrations.
type ExpireNamesArgs struct{}

// Kind implements river.JobArgs.
func (ExpireNamesArgs) Kind() string { return "lobby.expire_pending_race_names" }

// uniqueWhileLive keeps a single pending run of a periodic job.
var uniqueWhileLive = river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}}

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SweepArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{UniqueOpts: uniqueWhileLive} }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ExpireNamesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: uniqueWhileLive, MaxAttempts: 1}
}

// PendingExpirer releases pending race-name registrations past their window.
type PendingExpirer interface {
	ExpirePending(ctx context.Context, now time.Time) (int, error)
}

// RegisterWorkers adds the lobby's jobs: the block cascade, and the two
// periodic sweeps (enrollments every sweepEvery, race names every
// namesEvery), both running once at start.
func (s *Service) RegisterWorkers(c *jobs.Client, expirer PendingExpirer, sweepEvery, namesEvery time.Duration) {
	jobs.Register(c, &cascadeWorker{s: s})
	jobs.Register(c, &sweepWorker{s: s})
	jobs.Register(c, &expireNamesWorker{s: s, expirer: expirer})
	c.River().PeriodicJobs().Add(river.NewPeriodicJob(river.PeriodicInterval(sweepEvery),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "lobby.sweep_enrollments"}))
	c.River().PeriodicJobs().Add(river.NewPeriodicJob(river.PeriodicInterval(namesEvery),
		func() (river.JobArgs, *river.InsertOpts) { return ExpireNamesArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "lobby.expire_pending_race_names"}))
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	closed, short, err := w.s.SweepEnrollments(ctx)
	if err != nil {
		return err
	}
	if closed+short > 0 {
		w.s.logger.InfoContext(ctx, "enrollment sweep", "closed", closed, "short_of_players", short)
	}
	return nil
}

// SweepEnrollments moves games whose enrollment ended with enough approved
// players to ready, and tells the owner of those short of players (who may
// extend enrollment or cancel). It returns both counts.
func (s *Service) SweepEnrollments(ctx context.Context) (closed, short int, err error) {
	rows, err := lobbystore.New(s.db.Pool).ListExpiredEnrollments(ctx, lobbystore.ListExpiredEnrollmentsParams{Now: s.now(), MaxRows: 500})
	if err != nil {
		return 0, 0, err
	}
	for _, g := range rows {
		err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			cur, err := lobbystore.New(tx).LockGame(ctx, g.GameID)
			if err != nil || cur.Status != StatusEnrollmentOpen {
				return err
			}
			if cur.ApprovedCount >= cur.MinPlayers {
				_, err := s.closeEnrollmentTx(ctx, tx, cur, Actor{"system", "sweeper"}, "enrollment ended")
				closed++
				return err
			}
			short++
			// One reminder per enrollment deadline: the dedupe key carries it.
			return s.notifyTx(ctx, tx, cur, "lobby.game.enrollment_short", "short:"+cur.GameID+":"+cur.EnrollmentEndsAt.String(),
				map[string]any{"approved_count": cur.ApprovedCount, "min_players": cur.MinPlayers}, cur.OwnerUserID)
		})
		if err != nil {
			return closed, short, err
		}
	}
	return closed, short, nil
}

type expireNamesWorker struct {
	river.WorkerDefaults[ExpireNamesArgs]
	s       *Service
	expirer PendingExpirer
}

// Work absorbs directory failures: they are logged and the next tick tries
// again (seed 003), so the backlog heals by itself.
func (w *expireNamesWorker) Work(ctx context.Context, _ *river.Job[ExpireNamesArgs]) error {
	n, err := w.expirer.ExpirePending(ctx, w.s.now())
	if err != nil {
		w.s.logger.WarnContext(ctx, "expiring pending race names failed; next tick retries", "error", err)
		return nil
	}
	if n > 0 {
		w.s.logger.InfoContext(ctx, "pending race names released", "count", n)
	}
	return nil
}
