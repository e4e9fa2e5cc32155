package lobby

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/ids"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Claim is a player's claim of a race offered to substitutes.
type Claim = lobbystore.SubstituteClaim

// Claim statuses.
const (
	ClaimSubmitted = "submitted"
	ClaimApproved  = "approved"
	ClaimRejected  = "rejected"
	ClaimWithdrawn = "withdrawn"
)

// Notification kinds of the substitute policy.
const (
	// KindRaceOffered tells an idle player that the bot plays their race
	// and that it is offered to a substitute until they send orders again.
	KindRaceOffered = "game.race.offered"
	// KindRaceHandedOver tells that player a substitute took the race.
	KindRaceHandedOver = "game.race.handed_over"
	// KindSubstituteClaimed tells a private game's owner a claim waits for
	// their decision.
	KindSubstituteClaimed = "game.substitute.claimed"
	// KindSubstituteApproved tells a claimant the race is theirs now.
	KindSubstituteApproved = "game.substitute.approved"
	// KindSubstituteRejected tells a claimant their claim was turned down
	// (by the owner, or because someone else took the race first).
	KindSubstituteRejected = "game.substitute.rejected"
)

// ErrNoOfferedRace is the answer to a claim of a race that is not offered:
// the same whether the game does not exist, is private, or has no such
// race looking for a player, so a claim reveals nothing.
var ErrNoOfferedRace = errs.E(errs.NotFound, "no race of that name looks for a substitute in this game")

// OfferRacesTx puts, in the turn's transaction, the races of these players
// (idle under the substitute policy) on offer to substitutes, and tells
// each player (inbox, push, mail) that their race is theirs again the moment
// they send orders. Races already offered are left alone.
func (s *Service) OfferRacesTx(ctx context.Context, tx pgx.Tx, gameID string, userIDs []string, turn int) error {
	q := lobbystore.New(tx)
	offered, err := q.OfferRaces(ctx, lobbystore.OfferRacesParams{GameID: gameID, UserIds: userIDs})
	if err != nil || len(offered) == 0 {
		return err
	}
	g, err := q.GetGame(ctx, gameID)
	if err != nil {
		return translateMissing(err, gameID)
	}
	for _, m := range offered {
		if err := s.notifyTx(ctx, tx, g, KindRaceOffered, "offered:"+gameID+":"+m.UserID,
			map[string]any{"race_name": m.RaceName, "turn": turn}, m.UserID); err != nil {
			return err
		}
	}
	return nil
}

// SubstitutesWanted returns, for each of the given games that has any, the
// names of its races offered to substitutes.
func (s *Service) SubstitutesWanted(ctx context.Context, gameIDs ...string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(gameIDs) == 0 {
		return out, nil
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := lobbystore.New(s.db.Pool).ListSubstitutesWanted(ctx, gameIDs)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	for _, r := range rows {
		out[r.GameID] = append(out[r.GameID], r.RaceName)
	}
	return out, nil
}

// ClaimRace claims an offered race for userID. In a public game (or for its
// owner) the race is handed over at once and the claim comes back
// approved; in a private game the claim waits for the owner.
//
// Errors: errs.NotFound (ErrNoOfferedRace) when no race of that name is
// offered in the game; errs.FailedPrecondition when the game is not under
// way; errs.Conflict when userID plays or played in the game, or already
// has an open claim in it.
func (s *Service) ClaimRace(ctx context.Context, userID, gameID, raceName string) (Claim, error) {
	var c Claim
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		g, err := q.LockGame(ctx, gameID)
		if isNoRows(err) {
			return ErrNoOfferedRace.WithDetail("game_id", gameID).WithDetail("race_name", raceName)
		}
		if err != nil {
			return err
		}
		m, err := q.LockOfferedRace(ctx, lobbystore.LockOfferedRaceParams{GameID: gameID, RaceName: raceName})
		if isNoRows(err) {
			return ErrNoOfferedRace.WithDetail("game_id", gameID).WithDetail("race_name", raceName)
		}
		if err != nil {
			return err
		}
		if g.Status != StatusRunning && g.Status != StatusPaused {
			return errs.E(errs.FailedPrecondition, "the game is %s", g.Status).WithDetail("current_status", g.Status)
		}
		if _, err := q.GetMembership(ctx, lobbystore.GetMembershipParams{GameID: gameID, UserID: userID}); err == nil {
			return errs.E(errs.Conflict, "you play, or played, in this game: a substitute must be new to it").
				WithDetail("game_id", gameID)
		} else if !isNoRows(err) {
			return err
		}
		c, err = q.InsertSubstituteClaim(ctx, lobbystore.InsertSubstituteClaimParams{
			ClaimID: ids.New("sub_"), GameID: gameID, RaceID: m.RaceID, RaceName: m.RaceName, UserID: userID})
		if _, dup := postgres.UniqueViolation(err); dup {
			return errs.E(errs.Conflict, "you already have an open claim in this game").WithDetail("game_id", gameID)
		}
		if err != nil {
			return err
		}
		if g.Visibility == "public" || g.OwnerUserID == userID {
			c, err = s.handOverTx(ctx, tx, g, m, c)
			return err
		}
		return s.notifyTx(ctx, tx, g, KindSubstituteClaimed, "claim:"+c.ClaimID,
			map[string]any{"claim_id": c.ClaimID, "race_name": c.RaceName, "user_id": userID}, g.OwnerUserID)
	})
	return c, err
}

// DecideClaim approves or rejects a claim waiting in a private game
// (owner only). Approval hands the race over, as long as it is still
// offered (its player may have come back meanwhile).
//
// Errors: errs.NotFound for an unknown game or claim;
// errs.PermissionDenied for anyone but the owner; errs.FailedPrecondition
// when the claim is no longer open or the race no longer offered.
func (s *Service) DecideClaim(ctx context.Context, ownerID, gameID, claimID string, approve bool) (Claim, error) {
	var c Claim
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		g, err := ownedGame(ctx, q, gameID, ownerID)
		if err != nil {
			return err
		}
		c, err = lockOpenClaim(ctx, q, gameID, claimID)
		if err != nil {
			return err
		}
		if !approve {
			c, err = q.SetSubstituteClaimStatus(ctx, lobbystore.SetSubstituteClaimStatusParams{ClaimID: claimID, ToStatus: ClaimRejected})
			if err != nil {
				return err
			}
			return s.notifyTx(ctx, tx, g, KindSubstituteRejected, "claim-rejected:"+claimID,
				map[string]any{"claim_id": claimID, "race_name": c.RaceName}, c.UserID)
		}
		if g.Status != StatusRunning && g.Status != StatusPaused {
			return errs.E(errs.FailedPrecondition, "the game is %s", g.Status).WithDetail("current_status", g.Status)
		}
		m, err := q.LockActiveRace(ctx, lobbystore.LockActiveRaceParams{GameID: gameID, RaceID: c.RaceID})
		if isNoRows(err) || (err == nil && !m.SubstituteWanted) {
			return errs.E(errs.FailedPrecondition, "the %s are no longer offered: their player came back or left", c.RaceName).
				WithDetail("claim_id", claimID)
		}
		if err != nil {
			return err
		}
		c, err = s.handOverTx(ctx, tx, g, m, c)
		return err
	})
	return c, err
}

// WithdrawClaim withdraws the caller's own open claim.
//
// Errors: errs.NotFound for an unknown claim or one of another player;
// errs.FailedPrecondition when it is no longer open.
func (s *Service) WithdrawClaim(ctx context.Context, userID, gameID, claimID string) (Claim, error) {
	var c Claim
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		cur, err := q.LockSubstituteClaim(ctx, lobbystore.LockSubstituteClaimParams{ClaimID: claimID, GameID: gameID})
		if isNoRows(err) || (err == nil && cur.UserID != userID) {
			return errs.E(errs.NotFound, "no such claim").WithDetail("claim_id", claimID)
		}
		if err != nil {
			return err
		}
		if cur.Status != ClaimSubmitted {
			return errs.E(errs.FailedPrecondition, "the claim is %s", cur.Status).WithDetail("current_status", cur.Status)
		}
		c, err = q.SetSubstituteClaimStatus(ctx, lobbystore.SetSubstituteClaimStatusParams{ClaimID: claimID, ToStatus: ClaimWithdrawn})
		return err
	})
	return c, err
}

// ClaimsPage returns one page of a game's claims, oldest first: all of them
// to the owner, their own to anyone else who may see the game.
func (s *Service) ClaimsPage(ctx context.Context, callerID, gameID string, limit int, after *httpx.Cursor) ([]Claim, *httpx.Cursor, error) {
	g, err := s.GetGame(ctx, callerID, gameID)
	if err != nil {
		return nil, nil, err
	}
	p := lobbystore.PageSubstituteClaimsParams{GameID: gameID, MaxRows: int32(limit + 1)}
	if g.OwnerUserID != callerID {
		p.UserID = &callerID
	}
	if after != nil {
		p.AfterCreated, p.AfterID = &after.At, &after.ID
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := lobbystore.New(s.db.Pool).PageSubstituteClaims(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	rows, next := httpx.PageOf(rows, limit, func(c Claim) httpx.Cursor { return httpx.Cursor{At: c.CreatedAt, ID: c.ClaimID} })
	return rows, next, nil
}

func lockOpenClaim(ctx context.Context, q *lobbystore.Queries, gameID, claimID string) (Claim, error) {
	c, err := q.LockSubstituteClaim(ctx, lobbystore.LockSubstituteClaimParams{ClaimID: claimID, GameID: gameID})
	if isNoRows(err) {
		return c, errs.E(errs.NotFound, "no such claim").WithDetail("claim_id", claimID)
	}
	if err != nil {
		return c, err
	}
	if c.Status != ClaimSubmitted {
		return c, errs.E(errs.FailedPrecondition, "the claim is %s", c.Status).WithDetail("current_status", c.Status)
	}
	return c, nil
}

// handOverTx gives the race of membership m (locked, active, offered) to
// the claimant of c: the old membership ends as removed, a new one plays
// the same race (its id, name, planets, orders and reports stay the
// race's), the race name's reservation moves with it when it can, the
// race's other open claims are turned down, and everyone concerned is told.
func (s *Service) handOverTx(ctx context.Context, tx pgx.Tx, g Game, m Membership, c Claim) (Claim, error) {
	q := lobbystore.New(tx)
	c, err := q.SetSubstituteClaimStatus(ctx, lobbystore.SetSubstituteClaimStatusParams{ClaimID: c.ClaimID, ToStatus: ClaimApproved})
	if err != nil {
		return c, err
	}
	if _, err := q.EndHandedOverMembership(ctx, lobbystore.EndHandedOverMembershipParams{GameID: g.GameID, UserID: m.UserID}); err != nil {
		return c, err
	}
	if err := membershipChanged(ctx, tx, g.GameID, m.UserID, m.RaceName, "active", "removed", "race handed over to a substitute"); err != nil {
		return c, err
	}
	if _, err := q.InsertSubstituteMembership(ctx, lobbystore.InsertSubstituteMembershipParams{
		GameID: g.GameID, UserID: c.UserID, RaceID: m.RaceID, RaceName: m.RaceName}); err != nil {
		return c, err
	}
	if err := membershipChanged(ctx, tx, g.GameID, c.UserID, m.RaceName, "", "active", "substitute for an idle race"); err != nil {
		return c, err
	}
	if _, err := s.names.HandOver(ctx, tx, m.UserID, c.UserID, g.GameID); err != nil {
		return c, err
	}
	others, err := q.RejectOpenRaceClaims(ctx, lobbystore.RejectOpenRaceClaimsParams{GameID: g.GameID, RaceID: m.RaceID})
	if err != nil {
		return c, err
	}
	for _, o := range others {
		if err := s.notifyTx(ctx, tx, g, KindSubstituteRejected, "claim-rejected:"+o.ClaimID,
			map[string]any{"claim_id": o.ClaimID, "race_name": o.RaceName}, o.UserID); err != nil {
			return c, err
		}
	}
	if err := outbox.Publish(ctx, tx, outbox.GameRaceHandedOver{GameID: g.GameID, RaceName: m.RaceName,
		FromUserID: m.UserID, ToUserID: c.UserID, ClaimID: c.ClaimID, Turn: int(g.CurrentTurn), At: time.Now()}); err != nil {
		return c, err
	}
	turn := map[string]any{"race_name": m.RaceName, "turn": g.CurrentTurn}
	if err := s.notifyTx(ctx, tx, g, KindRaceHandedOver, "handed-over:"+c.ClaimID, turn, m.UserID); err != nil {
		return c, err
	}
	return c, s.notifyTx(ctx, tx, g, KindSubstituteApproved, "claim-approved:"+c.ClaimID,
		map[string]any{"claim_id": c.ClaimID, "race_name": m.RaceName, "turn": g.CurrentTurn}, c.UserID)
}
