package lobby

import (
	"context"

	"github.com/galaxy-platform/galaxy/internal/ids"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Application is a stored application.
type Application = lobbystore.Application

// Application statuses.
const (
	AppSubmitted = "submitted"
	AppApproved  = "approved"
	AppRejected  = "rejected"
	AppWithdrawn = "withdrawn"
)

// ErrApplicationNotFound is returned for an unknown application.
var ErrApplicationNotFound = errs.E(errs.NotFound, "no such application")

// Apply submits an application to a public game open for enrollment; the
// race name is reserved for this game at once (conflict when another user
// holds it).
func (s *Service) Apply(ctx context.Context, userID, gameID, raceName string) (Application, error) {
	var a Application
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		g, err := q.LockGame(ctx, gameID)
		if err != nil {
			return translateMissing(err, gameID)
		}
		if g.Visibility != "public" {
			return errs.E(errs.PermissionDenied, "private games are joined by invitation").WithDetail("game_id", gameID)
		}
		if g.Status != StatusEnrollmentOpen {
			return errs.E(errs.FailedPrecondition, "the game is %s: enrollment is closed", g.Status).
				WithDetail("current_status", g.Status)
		}
		if _, err := s.names.Reserve(ctx, tx, userID, gameID, raceName); err != nil {
			return err
		}
		a, err = q.InsertApplication(ctx, lobbystore.InsertApplicationParams{
			ApplicationID: ids.New("app_"), GameID: gameID, UserID: userID, RaceName: raceName,
		})
		if _, dup := postgres.UniqueViolation(err); dup {
			return errs.E(errs.Conflict, "you already applied to this game").WithDetail("game_id", gameID)
		}
		if err != nil {
			return err
		}
		return s.notifyTx(ctx, tx, g, "lobby.application.submitted", "app:"+a.ApplicationID,
			map[string]any{"application_id": a.ApplicationID, "race_name": raceName, "user_id": userID}, g.OwnerUserID)
	})
	return a, err
}

// ListApplications returns all of a game's applications to its owner, and
// their own to anyone else.
func (s *Service) ListApplications(ctx context.Context, callerID, gameID string) ([]Application, error) {
	g, err := s.GetGame(ctx, callerID, gameID)
	if err != nil {
		return nil, err
	}
	p := lobbystore.ListApplicationsParams{GameID: gameID}
	if g.OwnerUserID != callerID {
		p.UserID = &callerID
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := lobbystore.New(s.db.Pool).ListApplications(ctx, p)
	return rows, postgres.Translate(err)
}

// decide locks an application of a game and moves it from → to.
func decide(ctx context.Context, q *lobbystore.Queries, gameID, appID, from, to string) (Application, error) {
	a, err := q.LockApplication(ctx, lobbystore.LockApplicationParams{ApplicationID: appID, GameID: gameID})
	if postgres.IsNoRows(err) {
		return Application{}, ErrApplicationNotFound.WithDetail("application_id", appID)
	}
	if err != nil {
		return Application{}, err
	}
	if a.Status != from {
		return Application{}, errs.E(errs.FailedPrecondition, "the application is %s", a.Status).
			WithDetail("current_status", a.Status)
	}
	return q.SetApplicationStatus(ctx, lobbystore.SetApplicationStatusParams{ApplicationID: appID, FromStatus: from, ToStatus: to})
}

// Approve accepts an application: the applicant becomes an active member.
// The seat count is taken atomically, so max_players is never exceeded even
// when approvals race for the last seat.
func (s *Service) Approve(ctx context.Context, ownerID, gameID, appID string) (Application, error) {
	var a Application
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		g, err := ownedGame(ctx, q, gameID, ownerID)
		if err != nil {
			return err
		}
		if a, err = decide(ctx, q, gameID, appID, AppSubmitted, AppApproved); err != nil {
			return err
		}
		if err := takeSeat(ctx, q, g); err != nil {
			return err
		}
		if _, err := q.UpsertMembership(ctx, lobbystore.UpsertMembershipParams{GameID: gameID, UserID: a.UserID, RaceName: a.RaceName}); err != nil {
			return err
		}
		if err := membershipChanged(ctx, tx, gameID, a.UserID, a.RaceName, "", "active", "application approved"); err != nil {
			return err
		}
		return s.notifyTx(ctx, tx, g, "lobby.application.approved", "app-approved:"+appID,
			map[string]any{"application_id": appID, "race_name": a.RaceName}, a.UserID)
	})
	return a, err
}

// takeSeat counts one more approved player, or explains why not.
func takeSeat(ctx context.Context, q *lobbystore.Queries, g Game) error {
	_, err := q.TakeSeat(ctx, g.GameID)
	if !postgres.IsNoRows(err) {
		return err
	}
	if g.Status != StatusEnrollmentOpen {
		return errs.E(errs.FailedPrecondition, "the game is %s: enrollment is closed", g.Status).WithDetail("current_status", g.Status)
	}
	return errs.E(errs.Conflict, "the game is full (%d players)", g.MaxPlayers).WithDetail("max_players", g.MaxPlayers)
}

// Reject refuses an application and releases its race name.
func (s *Service) Reject(ctx context.Context, ownerID, gameID, appID string) (Application, error) {
	var a Application
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		g, err := ownedGame(ctx, q, gameID, ownerID)
		if err != nil {
			return err
		}
		if a, err = decide(ctx, q, gameID, appID, AppSubmitted, AppRejected); err != nil {
			return err
		}
		if err := s.names.Release(ctx, tx, a.UserID, gameID); err != nil {
			return err
		}
		return s.notifyTx(ctx, tx, g, "lobby.application.rejected", "app-rejected:"+appID,
			map[string]any{"application_id": appID, "race_name": a.RaceName}, a.UserID)
	})
	return a, err
}

// Withdraw takes back one's own submitted application and its race name.
func (s *Service) Withdraw(ctx context.Context, userID, gameID, appID string) (Application, error) {
	var a Application
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		cur, err := q.LockApplication(ctx, lobbystore.LockApplicationParams{ApplicationID: appID, GameID: gameID})
		if postgres.IsNoRows(err) || (err == nil && cur.UserID != userID) {
			return ErrApplicationNotFound.WithDetail("application_id", appID)
		}
		if err != nil {
			return err
		}
		if a, err = decide(ctx, q, gameID, appID, AppSubmitted, AppWithdrawn); err != nil {
			return err
		}
		return s.names.Release(ctx, tx, userID, gameID)
	})
	return a, err
}
