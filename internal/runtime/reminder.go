package runtime

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime/runtimestore"
)

// KindTurnReminder is the notification a player with no stored orders gets
// the game's reminder_before ahead of a turn's deadline.
const KindTurnReminder = "game.turn.reminder"

// ReminderArgs is the job that reminds a game's players of a turn's
// deadline; one per (game, turn), queued when the turn is scheduled.
type ReminderArgs struct {
	GameID string `json:"game_id" river:"unique"`
	Turn   int    `json:"turn" river:"unique"`
}

// Kind implements river.JobArgs.
func (ReminderArgs) Kind() string { return "runtime.reminder" }

type reminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	s *Service
}

// Work implements river.Worker.
func (w *reminderWorker) Work(ctx context.Context, job *river.Job[ReminderArgs]) error {
	_, err := w.s.remind(ctx, job.Args.GameID, job.Args.Turn)
	return err
}

// reminderJob is the job that reminds the players of turn, due at
// deadline, when the game's settings ask for one and it is still ahead; a
// reminder already queued for the turn makes its insert a no-op.
func (s *Service) reminderJob(gameID string, settings lobby.Settings, turn int, deadline time.Time) (river.InsertManyParams, bool) {
	before, err := settings.Reminder()
	if err != nil || before == 0 {
		// Settings were checked at creation; an unreadable one means no
		// reminder.
		return river.InsertManyParams{}, false
	}
	at := deadline.Add(-before)
	if !at.After(s.now()) {
		return river.InsertManyParams{}, false // too late to remind: the deadline is closer than reminder_before
	}
	return river.InsertManyParams{Args: ReminderArgs{GameID: gameID, Turn: turn}, InsertOpts: &river.InsertOpts{
		Queue: QueueTurn, ScheduledAt: at, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}}, true
}

// remind tells every active player with no stored orders for turn that its
// deadline approaches, once per (game, turn, player): the notification's
// dedupe key makes a retried job a no-op. Nothing is sent once the turn
// has run or while the game is not running. It returns how many players
// were reminded.
func (s *Service) remind(ctx context.Context, gameID string, turn int) (int, error) {
	if s.notify == nil {
		return 0, nil
	}
	sent := 0
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := runtimestore.New(tx)
		g, err := q.GetGame(ctx, gameID)
		if postgres.IsNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if g.Status != lobby.StatusRunning || int(g.CurrentTurn) >= turn || g.NextTurnAt == nil {
			return nil
		}
		name, err := q.GetGameName(ctx, gameID)
		if err != nil {
			return err
		}
		rows, err := q.ListToRemind(ctx, runtimestore.ListToRemindParams{GameID: gameID, Turn: int32(turn)})
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := s.notify.NotifyTx(ctx, tx, lobby.Intent{Kind: KindTurnReminder, UserIDs: []string{r.UserID},
				Payload: map[string]any{
					"game_id": gameID, "game_name": name, "turn": turn, "race_name": r.RaceName,
					"next_turn_at": g.NextTurnAt.UTC().Format(time.RFC3339),
				},
				DedupeKey: KindTurnReminder + ":" + gameID + ":" + strconv.Itoa(turn)}); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	return sent, err
}
