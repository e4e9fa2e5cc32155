package lobby

import (
	"encoding/json"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
)

// GameJSON renders a game for the API, with the names of its races offered
// to substitutes (see Service.SubstitutesWanted).
func GameJSON(g Game, substitutesWanted []string) apigen.Game {
	settings := map[string]any{}
	_ = json.Unmarshal(g.Settings, &settings)
	if substitutesWanted == nil {
		substitutesWanted = []string{} // a list, never null
	}
	return apigen.Game{
		GameId: g.GameID, Name: g.Name, Description: g.Description, Visibility: apigen.GameVisibility(g.Visibility),
		OwnerUserId: g.OwnerUserID, Status: apigen.GameStatus(g.Status), MinPlayers: int(g.MinPlayers),
		MaxPlayers: int(g.MaxPlayers), ApprovedCount: int(g.ApprovedCount), EnrollmentEndsAt: g.EnrollmentEndsAt.UTC(),
		TurnSchedule: g.TurnSchedule, CurrentTurn: int(g.CurrentTurn), NextTurnAt: g.NextTurnAt,
		CreatedAt: g.CreatedAt.UTC(), Settings: settings, SubstitutesWanted: &substitutesWanted,
	}
}

// ClaimJSON renders a substitute claim.
func ClaimJSON(c Claim) apigen.SubstituteClaim {
	return apigen.SubstituteClaim{ClaimId: c.ClaimID, GameId: c.GameID, UserId: c.UserID, RaceName: c.RaceName,
		Status: apigen.SubstituteClaimStatus(c.Status), CreatedAt: c.CreatedAt.UTC(), DecidedAt: c.DecidedAt}
}

// ApplicationJSON renders an application.
func ApplicationJSON(a Application) apigen.Application {
	return apigen.Application{ApplicationId: a.ApplicationID, GameId: a.GameID, UserId: a.UserID, RaceName: a.RaceName,
		Status: apigen.ApplicationStatus(a.Status), CreatedAt: a.CreatedAt.UTC(), DecidedAt: a.DecidedAt}
}

// InviteJSON renders an invite.
func InviteJSON(i Invite) apigen.Invite {
	return apigen.Invite{InviteId: i.InviteID, GameId: i.GameID, InviterUserId: i.InviterUserID, InviteeUserId: i.InviteeUserID,
		Status: apigen.InviteStatus(i.Status), RaceName: i.RaceName, CreatedAt: i.CreatedAt.UTC(), ExpiresAt: i.ExpiresAt.UTC()}
}

// MemberJSON renders a membership.
func MemberJSON(m Membership) apigen.Member {
	out := apigen.Member{UserId: m.UserID, RaceName: m.RaceName, Status: apigen.MemberStatus(m.Status), JoinedAt: m.JoinedAt.UTC()}
	if m.AbsentUntilTurn > 0 && m.Status == "active" {
		n := int(m.AbsentUntilTurn)
		out.AbsentUntilTurn = &n
	}
	return out
}
