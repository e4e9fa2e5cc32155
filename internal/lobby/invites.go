package lobby

import (
	"context"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/ids"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Invite is a stored invitation.
type Invite = lobbystore.Invite

// ErrInviteNotFound is returned for an unknown invite (or someone else's).
var ErrInviteNotFound = errs.E(errs.NotFound, "no such invite")

// CreateInvite invites a user to a game open for enrollment; the invite
// expires when enrollment ends.
func (s *Service) CreateInvite(ctx context.Context, ownerID, gameID, inviteeID string) (Invite, error) {
	var inv Invite
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		g, err := ownedGame(ctx, q, gameID, ownerID)
		if err != nil {
			return err
		}
		if g.Status != StatusEnrollmentOpen {
			return errs.E(errs.FailedPrecondition, "the game is %s: enrollment is closed", g.Status).WithDetail("current_status", g.Status)
		}
		if m, err := q.GetMembership(ctx, lobbystore.GetMembershipParams{GameID: gameID, UserID: inviteeID}); err == nil && m.Status == "active" {
			return errs.E(errs.Conflict, "that user already plays in this game")
		}
		inv, err = q.InsertInvite(ctx, lobbystore.InsertInviteParams{
			InviteID: ids.New("inv_"), GameID: gameID, InviterUserID: ownerID, InviteeUserID: inviteeID, ExpiresAt: g.EnrollmentEndsAt,
		})
		if _, dup := postgres.UniqueViolation(err); dup {
			return errs.E(errs.Conflict, "that user already has an open invite to this game")
		}
		if errs.Is(postgres.Translate(err), errs.FailedPrecondition) {
			return errs.E(errs.NotFound, "no such user").WithDetail("user_id", inviteeID)
		}
		if err != nil {
			return err
		}
		return s.notifyTx(ctx, tx, g, "lobby.invite.created", "invite:"+inv.InviteID,
			map[string]any{"invite_id": inv.InviteID, "inviter_user_id": ownerID, "expires_at": inv.ExpiresAt}, inviteeID)
	})
	return inv, err
}

// GameInvite is an invite in its game's listing, with the invitee's name.
type GameInvite = lobbystore.ListGameInvitesRow

// ListGameInvites returns every invite of a game, newest first, to its owner.
//
// Errors: ErrGameNotFound for an unknown game; errs.PermissionDenied for
// anyone but the owner.
func (s *Service) ListGameInvites(ctx context.Context, ownerID, gameID string) ([]GameInvite, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	q := lobbystore.New(s.db.Pool)
	g, err := q.GetGame(ctx, gameID)
	if postgres.IsNoRows(err) {
		return nil, ErrGameNotFound.WithDetail("game_id", gameID)
	}
	if err != nil {
		return nil, postgres.Translate(err)
	}
	if g.OwnerUserID != ownerID {
		return nil, errs.E(errs.PermissionDenied, "only the game's owner sees its invites").WithDetail("game_id", gameID)
	}
	rows, err := q.ListGameInvites(ctx, gameID)
	return rows, postgres.Translate(err)
}

// UserIDByEmail finds the account an owner invites by email.
//
// Errors: errs.NotFound when nobody has signed in with that address yet.
func (s *Service) UserIDByEmail(ctx context.Context, email string) (string, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	id, err := lobbystore.New(s.db.Pool).UserIDByEmail(ctx, strings.TrimSpace(email))
	if postgres.IsNoRows(err) {
		return "", errs.E(errs.NotFound, "nobody has signed in with %s yet: ask them to sign in once, then invite them", email).
			WithDetail("field", "email")
	}
	return id, postgres.Translate(err)
}

// ListInvites returns the open invites addressed to a user.
func (s *Service) ListInvites(ctx context.Context, userID string) ([]Invite, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := lobbystore.New(s.db.Pool).ListInvitesForUser(ctx, userID)
	return rows, postgres.Translate(err)
}

// openInvite locks an invite addressed to (or, for revoke, sent by) userID
// that is still open; an expired one is marked so.
func (s *Service) openInvite(ctx context.Context, q *lobbystore.Queries, inviteID, userID string, asInviter bool) (Invite, error) {
	inv, err := q.LockInvite(ctx, inviteID)
	if postgres.IsNoRows(err) {
		return Invite{}, ErrInviteNotFound.WithDetail("invite_id", inviteID)
	}
	if err != nil {
		return Invite{}, err
	}
	who := inv.InviteeUserID
	if asInviter {
		who = inv.InviterUserID
	}
	if who != userID {
		return Invite{}, ErrInviteNotFound.WithDetail("invite_id", inviteID)
	}
	if inv.Status != "created" {
		return Invite{}, errs.E(errs.FailedPrecondition, "the invite is %s", inv.Status).WithDetail("current_status", inv.Status)
	}
	if !inv.ExpiresAt.After(s.now()) {
		return Invite{}, errs.E(errs.FailedPrecondition, "the invite expired when enrollment ended").WithDetail("current_status", "expired")
	}
	return inv, nil
}

// AcceptInvite joins the game under raceName: the name is reserved, a seat
// taken and the membership created.
func (s *Service) AcceptInvite(ctx context.Context, userID, inviteID, raceName string) (Invite, error) {
	var inv Invite
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		cur, err := s.openInvite(ctx, q, inviteID, userID, false)
		if err != nil {
			return err
		}
		g, err := q.LockGame(ctx, cur.GameID)
		if err != nil {
			return translateMissing(err, cur.GameID)
		}
		if _, err := s.names.Reserve(ctx, tx, userID, g.GameID, raceName); err != nil {
			return err
		}
		if err := takeSeat(ctx, q, g); err != nil {
			return err
		}
		if _, err := q.UpsertMembership(ctx, lobbystore.UpsertMembershipParams{GameID: g.GameID, UserID: userID, RaceName: raceName}); err != nil {
			return err
		}
		if err := membershipChanged(ctx, tx, g.GameID, userID, raceName, "", "active", "invite accepted"); err != nil {
			return err
		}
		inv, err = q.SetInviteStatus(ctx, lobbystore.SetInviteStatusParams{InviteID: inviteID, ToStatus: "accepted", RaceName: &raceName})
		return err
	})
	return inv, err
}

// DeclineInvite refuses an invite.
func (s *Service) DeclineInvite(ctx context.Context, userID, inviteID string) (Invite, error) {
	return s.closeInvite(ctx, userID, inviteID, "declined", false)
}

// RevokeInvite withdraws an invite the owner sent.
func (s *Service) RevokeInvite(ctx context.Context, ownerID, gameID, inviteID string) (Invite, error) {
	inv, err := s.closeInvite(ctx, ownerID, inviteID, "revoked", true)
	if err == nil && inv.GameID != gameID {
		return Invite{}, ErrInviteNotFound.WithDetail("invite_id", inviteID)
	}
	return inv, err
}

func (s *Service) closeInvite(ctx context.Context, userID, inviteID, to string, asInviter bool) (Invite, error) {
	var inv Invite
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		if _, err := s.openInvite(ctx, q, inviteID, userID, asInviter); err != nil {
			return err
		}
		var err error
		inv, err = q.SetInviteStatus(ctx, lobbystore.SetInviteStatusParams{InviteID: inviteID, ToStatus: to})
		return err
	})
	return inv, err
}

// expireInvitesTx closes a game's open invites (enrollment over).
func (s *Service) expireInvitesTx(ctx context.Context, tx pgx.Tx, gameID string) error {
	_, err := lobbystore.New(tx).ExpireGameInvites(ctx, gameID)
	return err
}
