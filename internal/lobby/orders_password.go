package lobby

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
)

// An orders password authenticates a player's commands by mail (#GALAXY,
// #REPORT, #RELAY) together with their account's address. The server draws
// it (80 random bits), so a plain SHA-256 is enough to keep it unusable at
// rest: there is no dictionary to try, and checking stays cheap for a busy
// intake.

// newOrdersPassword draws a password easy to copy into a mail: 16 letters
// and digits, with no padding.
func newOrdersPassword() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.EncodeToString(b[:]))
}

func hashOrdersPassword(password string) string {
	sum := sha256.Sum256([]byte(password))
	return hex.EncodeToString(sum[:])
}

// IssueOrdersPasswordTx draws a new orders password for userID's active
// membership of gameID, stores its hash in tx (the previous password stops
// working when tx commits), and returns it: the game-started mail carries
// it, and the player may rotate it at any time.
//
// Errors: errs.FailedPrecondition when userID is not an active member.
func (s *Service) IssueOrdersPasswordTx(ctx context.Context, tx pgx.Tx, gameID, userID string) (string, error) {
	password := newOrdersPassword()
	n, err := lobbystore.New(tx).SetOrdersPasswordHash(ctx, lobbystore.SetOrdersPasswordHashParams{
		GameID: gameID, UserID: userID, PasswordHash: hashOrdersPassword(password)})
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", errs.E(errs.FailedPrecondition, "you do not play in this game").WithDetail("game_id", gameID)
	}
	return password, nil
}

// RotateOrdersPassword gives the caller a new orders password for a game
// they play in (POST .../orders-password).
func (s *Service) RotateOrdersPassword(ctx context.Context, userID, gameID string) (string, error) {
	if _, err := s.GetGame(ctx, userID, gameID); err != nil {
		return "", err
	}
	var password string
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		password, err = s.IssueOrdersPasswordTx(ctx, tx, gameID, userID)
		return err
	})
	return password, err
}

// MailMember is a player's race as a command by mail names it.
type MailMember struct {
	GameID, GameName, GameStatus, UserID, RaceName string
}

// ErrMailNotAuthenticated answers a command by mail whose game, race or
// password does not match: the same answer for each, so a guess learns
// nothing about which part was wrong.
var ErrMailNotAuthenticated = errs.E(errs.PermissionDenied,
	"no game, race and orders password of yours match: check the game id (or name), your race's name and the orders password from your game-started mail (or rotate it on the game page)")

// AuthenticateMailMember finds userID's active race raceName in the game
// gameRef names (its id, or its name when no other game under way has it)
// and checks the orders password.
func (s *Service) AuthenticateMailMember(ctx context.Context, userID, gameRef, raceName, password string) (MailMember, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	m, err := lobbystore.New(s.db.Pool).FindMailMember(ctx, lobbystore.FindMailMemberParams{
		UserID: userID, RaceName: raceName, GameRef: gameRef})
	if isNoRows(err) {
		return MailMember{}, ErrMailNotAuthenticated
	}
	if err != nil {
		return MailMember{}, err
	}
	want := m.OrdersPasswordHash
	got := hashOrdersPassword(password)
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return MailMember{}, ErrMailNotAuthenticated
	}
	return MailMember{GameID: m.GameID, GameName: m.GameName, GameStatus: m.GameStatus, UserID: m.UserID, RaceName: m.RaceName}, nil
}

// ActiveRaces lists a game's active races and their players (the
// recipients of a relayed message).
func (s *Service) ActiveRaces(ctx context.Context, gameID string) ([]lobbystore.ListActiveRacesRow, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	return lobbystore.New(s.db.Pool).ListActiveRaces(ctx, gameID)
}
