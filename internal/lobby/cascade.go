package lobby

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
)

// CascadeArgs is the job that releases what a permanently blocked user
// held (seed 003, "Cascade Release").
type CascadeArgs struct {
	UserID string `json:"user_id"`
}

// Kind implements river.JobArgs.
func (CascadeArgs) Kind() string { return "lobby.block_cascade" }

// OnUserBlockedPermanentlyTx queues the cascade in the block's transaction,
// so it runs if, and only if, the block commits, and is retried by River
// until it completes.
func (s *Service) OnUserBlockedPermanentlyTx(ctx context.Context, tx pgx.Tx, userID string) error {
	_, err := s.river.InsertTx(ctx, tx, CascadeArgs{UserID: userID}, nil)
	return err
}

type cascadeWorker struct {
	river.WorkerDefaults[CascadeArgs]
	s *Service
}

func (w *cascadeWorker) Work(ctx context.Context, job *river.Job[CascadeArgs]) error {
	n, err := w.s.Cascade(ctx, job.Args.UserID)
	if err != nil {
		return err
	}
	w.s.logger.InfoContext(ctx, "block cascade done", "user_id", job.Args.UserID, "changes", n)
	return nil
}

// Cascade releases everything userID holds in the lobby, in one
// transaction: race names; active memberships become blocked (the owner of
// each private game still in play is told); submitted applications are
// rejected; owned games that have not ended are cancelled (external_block),
// their engines stopped first, as any cancellation does: nothing is left
// live in them and everyone else with a stake in them is told; open invites
// to and from the user are revoked. Every step is a compare-and-set, so a
// second run changes nothing; it returns how many changes it made.
func (s *Service) Cascade(ctx context.Context, userID string) (int, error) {
	changes := 0
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		changes = 0
		q := lobbystore.New(tx)
		released, err := s.names.ReleaseAllByUser(ctx, tx, userID)
		if err != nil {
			return fmt.Errorf("release race names: %w", err)
		}
		changes += released
		members, err := q.ListUserActiveMemberships(ctx, userID)
		if err != nil {
			return err
		}
		for _, m := range members {
			if _, err := q.SetMembershipStatus(ctx, lobbystore.SetMembershipStatusParams{GameID: m.GameID, UserID: userID, ToStatus: "blocked"}); err != nil {
				return err
			}
			changes++
			if err := membershipChanged(ctx, tx, m.GameID, userID, m.RaceName, "active", "blocked", "external_block"); err != nil {
				return err
			}
			g, err := q.GetGame(ctx, m.GameID)
			if err != nil {
				return err
			}
			if (g.Status == StatusEnrollmentOpen || g.Status == StatusReady) && g.ApprovedCount > 0 {
				if err := q.FreeSeat(ctx, g.GameID); err != nil {
					return err
				}
			}
			if g.Visibility == "private" && g.OwnerUserID != userID && g.Status != StatusFinished && g.Status != StatusCancelled {
				if err := s.notifyTx(ctx, tx, g, "lobby.membership.blocked", "blocked:"+g.GameID+":"+userID,
					map[string]any{"user_id": userID, "race_name": m.RaceName}, g.OwnerUserID); err != nil {
					return err
				}
			}
		}
		apps, err := q.ListUserSubmittedApplications(ctx, userID)
		if err != nil {
			return err
		}
		for _, a := range apps {
			if _, err := q.SetApplicationStatus(ctx, lobbystore.SetApplicationStatusParams{
				ApplicationID: a.ApplicationID, FromStatus: AppSubmitted, ToStatus: AppRejected}); err != nil {
				return err
			}
			changes++
		}
		// Owned games go before the user's invites: cancelling a game expires
		// its invites and tells the invitees, where revoking them would not.
		owned, err := q.ListOwnedLiveGames(ctx, userID)
		if err != nil {
			return err
		}
		for _, g := range owned {
			if _, err := s.cancelTx(ctx, tx, g, Actor{"system", "block-cascade"}, "external_block", userID); err != nil {
				return err
			}
			changes++
		}
		invites, err := q.ListUserOpenInvites(ctx, userID)
		if err != nil {
			return err
		}
		for _, inv := range invites {
			if _, err := q.SetInviteStatus(ctx, lobbystore.SetInviteStatusParams{InviteID: inv.InviteID, ToStatus: "revoked"}); err != nil {
				return err
			}
			changes++
		}
		return nil
	})
	return changes, err
}
