package lobby

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames"
)

// Handlers serve the lobby endpoints; the user and admin guards have
// authenticated the caller before they run.
type Handlers struct {
	Service *Service
	Names   *racenames.Directory
	Logger  *slog.Logger
	// OrdersAddress is where players mail commands ("" when no inbound
	// domain is configured).
	OrdersAddress string
	// Public serves the public listing from memory once loaded; nil, or
	// before its first load, the listing is read from the database.
	Public *PublicListing
}

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(r.Context(), w, h.Logger, err)
}

func caller(r *http.Request) string {
	u, _ := authctx.UserFrom(r.Context())
	return u.UserID
}

func adminActor(r *http.Request) Actor {
	a, _ := authctx.AdminFrom(r.Context())
	return Actor{"admin", a.AdminID}
}

// CreateGame creates a game owned by the caller.
func (h *Handlers) CreateGame(w http.ResponseWriter, r *http.Request) {
	var body apigen.NewGame
	if err := httpx.DecodeJSON(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	in := NewGame{Name: body.Name, Visibility: string(body.Visibility), MinPlayers: body.MinPlayers,
		MaxPlayers: body.MaxPlayers, EnrollmentEndsAt: body.EnrollmentEndsAt, TurnSchedule: body.TurnSchedule}
	if body.Description != nil {
		in.Description = *body.Description
	}
	if body.Settings != nil {
		in.Settings, _ = json.Marshal(*body.Settings)
	}
	g, err := h.Service.CreateGame(r.Context(), caller(r), in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, GameJSON(g, nil))
}

func (h *Handlers) list(w http.ResponseWriter, r *http.Request, limit *int, cursor *string, fetch func(int, *httpx.Cursor) (Page, error)) {
	n, after, err := httpx.Paging(limit, cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := fetch(n, after)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	gameIDs := make([]string, len(p.Games))
	for i, g := range p.Games {
		gameIDs[i] = g.GameID
	}
	wanted, err := h.Service.SubstitutesWanted(r.Context(), gameIDs...)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := apigen.GameList{Items: make([]apigen.Game, len(p.Games))}
	for i, g := range p.Games {
		out.Items[i] = GameJSON(g, wanted[g.GameID])
	}
	if p.Next != nil {
		c := p.Next.Encode()
		out.NextCursor = &c
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// ListPublicGames lists public games open for enrollment or looking for
// substitutes.
func (h *Handlers) ListPublicGames(w http.ResponseWriter, r *http.Request, p apigen.ListPublicGamesParams) {
	if h.Public != nil && h.Public.Ready() {
		n, after, err := httpx.Paging(p.Limit, p.Cursor)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.Public.WritePage(w, n, after)
		return
	}
	h.list(w, r, p.Limit, p.Cursor, func(n int, after *httpx.Cursor) (Page, error) {
		return h.Service.ListPublic(r.Context(), n, after)
	})
}

// ListMyGames lists the games the caller owns or plays.
func (h *Handlers) ListMyGames(w http.ResponseWriter, r *http.Request, p apigen.ListMyGamesParams) {
	h.list(w, r, p.Limit, p.Cursor, func(n int, after *httpx.Cursor) (Page, error) {
		return h.Service.ListForUser(r.Context(), caller(r), n, after)
	})
}

// ListGamesAdmin lists games by status for operators.
func (h *Handlers) ListGamesAdmin(w http.ResponseWriter, r *http.Request, p apigen.ListGamesAdminParams) {
	status, name := "", ""
	if p.Status != nil {
		status = string(*p.Status)
	}
	if p.Name != nil {
		name = *p.Name
	}
	h.list(w, r, p.Limit, p.Cursor, func(n int, after *httpx.Cursor) (Page, error) {
		return h.Service.ListByStatus(r.Context(), status, name, n, after)
	})
}

// GetGame returns one game.
func (h *Handlers) GetGame(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.GetGame(r.Context(), caller(r), gameID)
	h.game(w, r, g, err, http.StatusOK)
}

func (h *Handlers) game(w http.ResponseWriter, r *http.Request, g Game, err error, status int) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	wanted, err := h.Service.SubstitutesWanted(r.Context(), g.GameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, GameJSON(g, wanted[g.GameID]))
}

// CloseEnrollment closes enrollment (owner).
func (h *Handlers) CloseEnrollment(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.CloseEnrollment(r.Context(), caller(r), gameID)
	h.game(w, r, g, err, http.StatusOK)
}

// StartGame asks the runtime to start the game (owner).
func (h *Handlers) StartGame(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.Start(r.Context(), caller(r), gameID)
	h.game(w, r, g, err, http.StatusAccepted)
}

// PauseGameOwner pauses a running game (owner).
func (h *Handlers) PauseGameOwner(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.Pause(r.Context(), caller(r), Actor{"user", caller(r)}, gameID)
	h.game(w, r, g, err, http.StatusOK)
}

// ResumeGameOwner resumes a paused game (owner).
func (h *Handlers) ResumeGameOwner(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.Resume(r.Context(), caller(r), Actor{"user", caller(r)}, gameID)
	h.game(w, r, g, err, http.StatusOK)
}

// CancelGameOwner cancels a game (owner).
func (h *Handlers) CancelGameOwner(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.Cancel(r.Context(), caller(r), Actor{"user", caller(r)}, gameID, "cancelled by the owner")
	h.game(w, r, g, err, http.StatusOK)
}

// PauseGameAdmin pauses a running game.
func (h *Handlers) PauseGameAdmin(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.Pause(r.Context(), "", adminActor(r), gameID)
	h.game(w, r, g, err, http.StatusOK)
}

// ResumeGameAdmin resumes a paused game.
func (h *Handlers) ResumeGameAdmin(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.Resume(r.Context(), "", adminActor(r), gameID)
	h.game(w, r, g, err, http.StatusOK)
}

// CancelGameAdmin cancels a game.
func (h *Handlers) CancelGameAdmin(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.Cancel(r.Context(), "", adminActor(r), gameID, "cancelled by an operator")
	h.game(w, r, g, err, http.StatusOK)
}

// RetryStartGameAdmin starts a game again.
func (h *Handlers) RetryStartGameAdmin(w http.ResponseWriter, r *http.Request, gameID string) {
	g, err := h.Service.RetryStart(r.Context(), adminActor(r).ID, gameID)
	h.game(w, r, g, err, http.StatusAccepted)
}

// ApplyToGame submits an application.
func (h *Handlers) ApplyToGame(w http.ResponseWriter, r *http.Request, gameID string) {
	var body apigen.ApplicationRequest
	if err := httpx.DecodeJSON(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.Service.Apply(r.Context(), caller(r), gameID, body.RaceName)
	h.application(w, r, a, err, http.StatusCreated)
}

func (h *Handlers) application(w http.ResponseWriter, r *http.Request, a Application, err error, status int) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, ApplicationJSON(a))
}

// ListApplications lists applications.
func (h *Handlers) ListApplications(w http.ResponseWriter, r *http.Request, gameID string, p apigen.ListApplicationsParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, err := h.Service.ListApplications(r.Context(), caller(r), gameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, next := httpx.PageAfter(rows, limit, after, true, func(a Application) httpx.Cursor {
		return httpx.Cursor{At: a.CreatedAt, ID: a.ApplicationID}
	})
	out := apigen.ApplicationList{Items: make([]apigen.Application, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, a := range rows {
		out.Items[i] = ApplicationJSON(a)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// ApproveApplication approves an application (owner).
func (h *Handlers) ApproveApplication(w http.ResponseWriter, r *http.Request, gameID, appID string) {
	a, err := h.Service.Approve(r.Context(), caller(r), gameID, appID)
	h.application(w, r, a, err, http.StatusOK)
}

// RejectApplication rejects an application (owner).
func (h *Handlers) RejectApplication(w http.ResponseWriter, r *http.Request, gameID, appID string) {
	a, err := h.Service.Reject(r.Context(), caller(r), gameID, appID)
	h.application(w, r, a, err, http.StatusOK)
}

// WithdrawApplication withdraws the caller's application.
func (h *Handlers) WithdrawApplication(w http.ResponseWriter, r *http.Request, gameID, appID string) {
	a, err := h.Service.Withdraw(r.Context(), caller(r), gameID, appID)
	h.application(w, r, a, err, http.StatusOK)
}

// CreateInvite invites a user (owner).
func (h *Handlers) CreateInvite(w http.ResponseWriter, r *http.Request, gameID string) {
	var body apigen.InviteRequest
	if err := httpx.DecodeJSON(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	inviteeID, err := h.invitee(r, body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	inv, err := h.Service.CreateInvite(r.Context(), caller(r), gameID, inviteeID)
	h.invite(w, r, inv, err, http.StatusCreated)
}

// invitee resolves the one field of an invite that names the invitee.
func (h *Handlers) invitee(r *http.Request, body apigen.InviteRequest) (string, error) {
	userID, email := deref(body.UserId), strings.TrimSpace(deref(body.Email))
	switch {
	case userID != "" && email != "":
		return "", errs.E(errs.InvalidArgument, "name the invitee by user_id or by email, not both").WithDetail("field", "email")
	case userID != "":
		return userID, nil
	case email != "":
		return h.Service.UserIDByEmail(r.Context(), email)
	}
	return "", errs.E(errs.InvalidArgument, "user_id or email is required").WithDetail("field", "email")
}

func (h *Handlers) invite(w http.ResponseWriter, r *http.Request, inv Invite, err error, status int) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, InviteJSON(inv))
}

// ListGameInvites lists a game's invites to its owner.
func (h *Handlers) ListGameInvites(w http.ResponseWriter, r *http.Request, gameID string, p apigen.ListGameInvitesParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, err := h.Service.ListGameInvites(r.Context(), caller(r), gameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, next := httpx.PageAfter(rows, limit, after, false, func(i GameInvite) httpx.Cursor {
		return httpx.Cursor{At: i.Invite.CreatedAt, ID: i.Invite.InviteID}
	})
	out := apigen.InviteList{Items: make([]apigen.Invite, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, row := range rows {
		out.Items[i] = InviteJSON(row.Invite)
		out.Items[i].InviteeDisplayName = &row.InviteeDisplayName
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// RevokeInvite revokes an invite (owner).
func (h *Handlers) RevokeInvite(w http.ResponseWriter, r *http.Request, gameID, inviteID string) {
	inv, err := h.Service.RevokeInvite(r.Context(), caller(r), gameID, inviteID)
	h.invite(w, r, inv, err, http.StatusOK)
}

// ListMyInvites lists the caller's open invites.
func (h *Handlers) ListMyInvites(w http.ResponseWriter, r *http.Request, p apigen.ListMyInvitesParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, err := h.Service.ListInvites(r.Context(), caller(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, next := httpx.PageAfter(rows, limit, after, false, func(i Invite) httpx.Cursor {
		return httpx.Cursor{At: i.CreatedAt, ID: i.InviteID}
	})
	out := apigen.InviteList{Items: make([]apigen.Invite, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, inv := range rows {
		out.Items[i] = InviteJSON(inv)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// AcceptInvite joins a game by invitation.
func (h *Handlers) AcceptInvite(w http.ResponseWriter, r *http.Request, inviteID string) {
	var body apigen.InviteAccept
	if err := httpx.DecodeJSON(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	inv, err := h.Service.AcceptInvite(r.Context(), caller(r), inviteID, body.RaceName)
	h.invite(w, r, inv, err, http.StatusOK)
}

// DeclineInvite declines an invite.
func (h *Handlers) DeclineInvite(w http.ResponseWriter, r *http.Request, inviteID string) {
	inv, err := h.Service.DeclineInvite(r.Context(), caller(r), inviteID)
	h.invite(w, r, inv, err, http.StatusOK)
}

// ListMembers lists a game's members.
func (h *Handlers) ListMembers(w http.ResponseWriter, r *http.Request, gameID string, p apigen.ListMembersParams) {
	limit, after, err := httpx.Paging(p.Limit, p.Cursor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, err := h.Service.Members(r.Context(), caller(r), gameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.members(w, rows, limit, after)
}

// members writes one page of memberships.
func (h *Handlers) members(w http.ResponseWriter, rows []Membership, limit int, after *httpx.Cursor) {
	rows, next := httpx.PageAfter(rows, limit, after, true, func(m Membership) httpx.Cursor {
		return httpx.Cursor{At: m.JoinedAt, ID: m.UserID}
	})
	out := apigen.MemberList{Items: make([]apigen.Member, len(rows)), NextCursor: httpx.NextCursor(next)}
	for i, m := range rows {
		out.Items[i] = MemberJSON(m)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// LeaveGame leaves a game.
func (h *Handlers) LeaveGame(w http.ResponseWriter, r *http.Request, gameID string) {
	m, err := h.Service.Leave(r.Context(), caller(r), gameID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, MemberJSON(m))
}

// UpdateGame moves an open game's enrollment deadline (owner).
func (h *Handlers) UpdateGame(w http.ResponseWriter, r *http.Request, gameID string) {
	var body apigen.GameUpdate
	if err := httpx.DecodeJSON(r, &body); err != nil {
		h.fail(w, r, err)
		return
	}
	g, err := h.Service.ExtendEnrollment(r.Context(), caller(r), gameID, body.EnrollmentEndsAt)
	h.game(w, r, g, err, http.StatusOK)
}

// deref reads an optional string field, "" when absent.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
