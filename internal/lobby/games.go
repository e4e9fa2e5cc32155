package lobby

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/galaxy-platform/galaxy/internal/ids"
	"github.com/galaxy-platform/galaxy/internal/outbox"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// NewGame is what an owner asks for.
type NewGame struct {
	Name, Description, Visibility string
	MinPlayers, MaxPlayers        int
	EnrollmentEndsAt              time.Time
	TurnSchedule                  string
	Settings                      json.RawMessage
}

// CreateGame validates and creates a game in enrollment_open.
func (s *Service) CreateGame(ctx context.Context, ownerID string, in NewGame) (Game, error) {
	settings, err := s.validateNewGame(&in)
	if err != nil {
		return Game{}, err
	}
	var g Game
	err = s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := lobbystore.New(tx)
		g, err = q.InsertGame(ctx, lobbystore.InsertGameParams{
			GameID: ids.New("gam_"), Name: in.Name, Description: in.Description, Visibility: in.Visibility,
			OwnerUserID: ownerID, MinPlayers: int32(in.MinPlayers), MaxPlayers: int32(in.MaxPlayers),
			EnrollmentEndsAt: in.EnrollmentEndsAt, TurnSchedule: in.TurnSchedule, Settings: settings, Seed: randomSeed(),
		})
		if err != nil {
			return err
		}
		if err := outbox.Publish(ctx, tx, outbox.GameCreated{GameID: g.GameID, Name: g.Name, OwnerUserID: ownerID,
			Visibility: g.Visibility, Status: g.Status, MinPlayers: int(g.MinPlayers), MaxPlayers: int(g.MaxPlayers),
			CreatedAt: g.CreatedAt}); err != nil {
			return err
		}
		return q.InsertGameEvent(ctx, lobbystore.InsertGameEventParams{
			GameID: g.GameID, ToStatus: StatusEnrollmentOpen, ActorKind: "user", ActorID: ownerID, Reason: "created",
		})
	})
	return g, err
}

func (s *Service) validateNewGame(in *NewGame) ([]byte, error) {
	var problems []string
	in.Name = strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(in.Name); n < 1 || n > 80 {
		problems = append(problems, "name must be 1 to 80 characters")
	}
	if utf8.RuneCountInString(in.Description) > 2000 {
		problems = append(problems, "description must be at most 2000 characters")
	}
	if in.Visibility != "public" && in.Visibility != "private" {
		problems = append(problems, `visibility must be "public" or "private"`)
	}
	if in.MinPlayers < 2 {
		problems = append(problems, "min_players must be at least 2")
	}
	if in.MaxPlayers < in.MinPlayers || in.MaxPlayers > game.MaxRaces {
		problems = append(problems, "max_players must be between min_players and 200")
	}
	if !in.EnrollmentEndsAt.After(s.now()) {
		problems = append(problems, "enrollment_ends_at must be in the future")
	}
	if p := checkSchedule(in.TurnSchedule, s.minTurnInterval, s.now()); p != "" {
		problems = append(problems, p)
	}
	settings := []byte("{}")
	if len(bytes.TrimSpace(in.Settings)) > 0 && string(bytes.TrimSpace(in.Settings)) != "null" {
		// The engine's own check, so a game never fails its start over a
		// setting the lobby let through.
		var st Settings
		if err := httpx.DecodeJSONBytes(in.Settings, &st); err != nil {
			problems = append(problems, "settings: "+errs.As(err).Message)
		} else if err := st.Validate(); err != nil {
			problems = append(problems, errs.As(err).Message)
		} else {
			settings, _ = json.Marshal(st)
		}
	}
	if len(problems) > 0 {
		return nil, errs.E(errs.InvalidArgument, "invalid game: %s", strings.Join(problems, "; ")).WithDetail("problems", problems)
	}
	return settings, nil
}

func randomSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// GetGame returns a game the caller may see: public games to everyone,
// private ones to their owner, members, applicants, invitees and
// substitute claimants.
func (s *Service) GetGame(ctx context.Context, callerID, gameID string) (Game, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	q := lobbystore.New(s.db.Pool)
	g, err := q.GetGame(ctx, gameID)
	if postgres.IsNoRows(err) {
		return Game{}, ErrGameNotFound.WithDetail("game_id", gameID)
	}
	if err != nil {
		return Game{}, postgres.Translate(err)
	}
	if g.Visibility == "public" || g.OwnerUserID == callerID {
		return g, nil
	}
	ok, err := s.involved(ctx, q, gameID, callerID)
	if err != nil {
		return Game{}, err
	}
	if !ok {
		return Game{}, ErrGameNotFound.WithDetail("game_id", gameID) // private: do not reveal it exists
	}
	return g, nil
}

// involved reports whether a user is a member, applicant, invitee or
// substitute claimant.
func (s *Service) involved(ctx context.Context, q *lobbystore.Queries, gameID, userID string) (bool, error) {
	if _, err := q.GetMembership(ctx, lobbystore.GetMembershipParams{GameID: gameID, UserID: userID}); err == nil {
		return true, nil
	} else if !postgres.IsNoRows(err) {
		return false, postgres.Translate(err)
	}
	applied, err := q.HasApplied(ctx, lobbystore.HasAppliedParams{GameID: gameID, UserID: userID})
	if err != nil || applied {
		return applied, postgres.Translate(err)
	}
	invited, err := q.IsInvited(ctx, lobbystore.IsInvitedParams{GameID: gameID, UserID: userID})
	if err != nil || invited {
		return invited, postgres.Translate(err)
	}
	claimed, err := q.HasClaimed(ctx, lobbystore.HasClaimedParams{GameID: gameID, UserID: userID})
	return claimed, postgres.Translate(err)
}

// Page is one page of games and the cursor of the next.
type Page struct {
	Games []Game
	Next  *httpx.Cursor
}

func page(rows []Game, limit int) Page {
	p := Page{Games: rows}
	if len(rows) > limit {
		p.Games = rows[:limit]
		last := p.Games[limit-1]
		p.Next = &httpx.Cursor{At: last.CreatedAt, ID: last.GameID}
	}
	return p
}

func cursorParams(after *httpx.Cursor) (*time.Time, *string) {
	if after == nil {
		return nil, nil
	}
	return &after.At, &after.ID
}

// ListPublic lists public games open for enrollment, newest first.
func (s *Service) ListPublic(ctx context.Context, limit int, after *httpx.Cursor) (Page, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	at, id := cursorParams(after)
	maxRows := int32(limit + 1)
	rows, err := lobbystore.New(s.db.Pool).ListPublicGames(ctx, lobbystore.ListPublicGamesParams{
		BeforeCreated: at, BeforeID: id, MaxRows: &maxRows})
	return page(rows, limit), postgres.Translate(err)
}

// ListForUser lists games the user owns or plays in, newest first.
func (s *Service) ListForUser(ctx context.Context, userID string, limit int, after *httpx.Cursor) (Page, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	at, id := cursorParams(after)
	rows, err := lobbystore.New(s.db.Pool).ListUserGames(ctx, lobbystore.ListUserGamesParams{
		UserID: userID, BeforeCreated: at, BeforeID: id, MaxRows: int32(limit + 1)})
	return page(rows, limit), postgres.Translate(err)
}

// ListByStatus lists games for operators, optionally of one status and
// whose name contains nameContains.
func (s *Service) ListByStatus(ctx context.Context, status, nameContains string, limit int, after *httpx.Cursor) (Page, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	at, id := cursorParams(after)
	p := lobbystore.ListGamesByStatusParams{BeforeCreated: at, BeforeID: id, MaxRows: int32(limit + 1)}
	if status != "" {
		p.Status = &status
	}
	if nameContains != "" {
		p.NameContains = &nameContains
	}
	rows, err := lobbystore.New(s.db.Pool).ListGamesByStatus(ctx, p)
	return page(rows, limit), postgres.Translate(err)
}

// ownedGame locks a game and checks the caller owns it.
func ownedGame(ctx context.Context, q *lobbystore.Queries, gameID, callerID string) (Game, error) {
	g, err := q.LockGame(ctx, gameID)
	if postgres.IsNoRows(err) {
		return Game{}, ErrGameNotFound.WithDetail("game_id", gameID)
	}
	if err != nil {
		return Game{}, err
	}
	if g.OwnerUserID != callerID {
		return Game{}, errs.E(errs.PermissionDenied, "only the game's owner may do this").WithDetail("game_id", gameID)
	}
	return g, nil
}

func isNoRows(err error) bool { return postgres.IsNoRows(err) }

// GameForAdmin returns any game, whatever its visibility (operators).
func (s *Service) GameForAdmin(ctx context.Context, gameID string) (Game, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	g, err := lobbystore.New(s.db.Pool).GetGame(ctx, gameID)
	if postgres.IsNoRows(err) {
		return Game{}, ErrGameNotFound.WithDetail("game_id", gameID)
	}
	return g, postgres.Translate(err)
}
