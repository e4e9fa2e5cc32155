package lobby_test

import (
	"context"
	"errors"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
)

// TestOrdersPasswords: a password is issued to an active member only,
// authenticates their race by mail until the next one replaces it, and
// issuing it takes no lock a turn needs. The game-started mails issue
// several players' passwords in one shared transaction; when that
// transaction locked their memberships, a turn of the game updating them
// (idle turns) deadlocked with it.
func TestOrdersPasswords(t *testing.T) {
	s, pool := newService(t)
	ctx := context.Background()
	c := newCrowdedGame(t, s, pool, "pw-")
	race := "Race of " + c.member

	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	first, err := s.IssueOrdersPasswordTx(ctx, tx, c.GameID, c.member)
	if err != nil {
		t.Fatal(err)
	}
	// What a turn's membership updates lock, while the mail's transaction
	// is still open: NOWAIT fails at once on a row another holds.
	if _, err := pool.Exec(ctx, `SELECT 1 FROM memberships WHERE game_id = $1 FOR NO KEY UPDATE NOWAIT`, c.GameID); err != nil {
		t.Fatalf("a turn would wait for the password's transaction: %v", err)
	}
	if _, err := s.AuthenticateMailMember(ctx, c.member, c.GameID, race, first); err == nil {
		t.Fatal("a password authenticates before its transaction commits")
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := s.AuthenticateMailMember(ctx, c.member, c.GameID, race, first)
	if err != nil {
		t.Fatalf("the issued password: %v", err)
	}
	if m.UserID != c.member || m.RaceName != race || m.GameID != c.GameID {
		t.Errorf("authenticated %+v", m)
	}

	second, err := s.RotateOrdersPassword(ctx, c.member, c.GameID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AuthenticateMailMember(ctx, c.member, c.GameID, race, first); !errors.Is(err, lobby.ErrMailNotAuthenticated) {
		t.Errorf("the replaced password: %v, want ErrMailNotAuthenticated", err)
	}
	if _, err := s.AuthenticateMailMember(ctx, c.member, c.GameID, race, second); err != nil {
		t.Errorf("the rotated password: %v", err)
	}

	for _, outsider := range []string{c.leaver, c.applicant, c.invitee} {
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.IssueOrdersPasswordTx(ctx, tx, c.GameID, outsider)
		_ = tx.Rollback(ctx)
		if !errs.Is(err, errs.FailedPrecondition) {
			t.Errorf("%s: %v, want failed_precondition", outsider, err)
		}
	}
}
