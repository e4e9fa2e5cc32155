package lobby_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

// recordingNotifier keeps every intent the lobby commits.
type recordingNotifier struct {
	mu      sync.Mutex
	intents []lobby.Intent
}

func (n *recordingNotifier) NotifyTx(_ context.Context, _ pgx.Tx, in lobby.Intent) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.intents = append(n.intents, in)
	return nil
}

// told returns who was sent kind about gameID.
func (n *recordingNotifier) told(kind, gameID string) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, in := range n.intents {
		if in.Kind == kind && in.Payload["game_id"] == gameID {
			out = append(out, in.UserIDs...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// crowdedGame is a public game in enrollment with one of each kind of
// interested party: an approved member, a pending applicant, an open
// invitee, and a member who already left.
type crowdedGame struct {
	lobby.Game
	owner, member, applicant, invitee, leaver string
}

func newCrowdedGame(t *testing.T, s *lobby.Service, pool *pgxpool.Pool, prefix string) crowdedGame {
	t.Helper()
	ctx := context.Background()
	c := crowdedGame{owner: prefix + "owner", member: prefix + "member", applicant: prefix + "applicant",
		invitee: prefix + "invitee", leaver: prefix + "leaver"}
	for _, u := range []string{c.owner, c.member, c.applicant, c.invitee, c.leaver} {
		addUser(t, pool, u)
	}
	c.Game = newGame(t, s, c.owner, 2, 6)
	for _, u := range []string{c.member, c.leaver} {
		a, err := s.Apply(ctx, u, c.GameID, "Race of "+u)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Approve(ctx, c.owner, c.GameID, a.ApplicationID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Leave(ctx, c.leaver, c.GameID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, c.applicant, c.GameID, "Race of "+c.applicant); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateInvite(ctx, c.owner, c.GameID, c.invitee); err != nil {
		t.Fatal(err)
	}
	return c
}

// liveRows counts what still points at gameID as if it were alive.
func liveRows(t *testing.T, pool *pgxpool.Pool, gameID string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for what, sql := range map[string]string{
		"submitted applications": `SELECT count(*) FROM applications WHERE game_id = $1 AND status = 'submitted'`,
		"open invites":           `SELECT count(*) FROM invites WHERE game_id = $1 AND status = 'created'`,
		"active memberships":     `SELECT count(*) FROM memberships WHERE game_id = $1 AND status = 'active'`,
	} {
		var n int
		if err := pool.QueryRow(context.Background(), sql, gameID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			out[what] = n
		}
	}
	return out
}

func newNotifiedService(t *testing.T) (*lobby.Service, *pgxpool.Pool, *recordingNotifier) {
	t.Helper()
	pool := pgtest.Pool(t)
	db := &postgres.DB{Pool: pool, OperationTimeout: 10 * time.Second}
	n := &recordingNotifier{}
	return lobby.New(db, nil, noNames{}, n, nopRuntime{}, slog.New(slog.NewTextHandler(io.Discard, nil))), pool, n
}

// TestCancelLeavesNothingLive: however a game dies (its owner cancels it,
// an operator does, or the owner's permanent block cascades), no
// application, invite or membership is left pointing at it as if it were
// alive, and everyone with a stake in it is told, save a blocked owner.
func TestCancelLeavesNothingLive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool, n := newNotifiedService(t)

	for i, c := range []struct {
		name        string
		cancel      func(g crowdedGame) error
		ownerIsTold bool
	}{
		{"the owner cancels", func(g crowdedGame) error {
			_, err := s.Cancel(ctx, g.owner, lobby.Actor{Kind: "user", ID: g.owner}, g.GameID, "cancelled by the owner")
			return err
		}, true},
		{"an operator cancels", func(g crowdedGame) error {
			_, err := s.Cancel(ctx, "", lobby.Actor{Kind: "admin", ID: "adm_1"}, g.GameID, "cancelled by an operator")
			return err
		}, true},
		{"the owner's block cascades", func(g crowdedGame) error {
			if _, err := pool.Exec(ctx, `UPDATE users SET status = 'blocked_permanently' WHERE user_id = $1`, g.owner); err != nil {
				return err
			}
			_, err := s.Cascade(ctx, g.owner)
			return err
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := newCrowdedGame(t, s, pool, fmt.Sprintf("g%d-", i))
			if err := c.cancel(g); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.GetGame(ctx, g.owner, g.GameID); got.Status != lobby.StatusCancelled {
				t.Fatalf("the game is %s", got.Status)
			}
			if live := liveRows(t, pool, g.GameID); len(live) > 0 {
				t.Errorf("left pointing at the cancelled game: %v", live)
			}
			want := []string{g.applicant, g.invitee, g.member}
			if c.ownerIsTold {
				want = append(want, g.owner)
			}
			slices.Sort(want)
			if got := n.told("lobby.game.cancelled", g.GameID); !slices.Equal(got, want) {
				t.Errorf("lobby.game.cancelled went to %v, want %v", got, want)
			}
			var member string
			if err := pool.QueryRow(ctx, `SELECT status FROM memberships WHERE game_id = $1 AND user_id = $2`,
				g.GameID, g.leaver).Scan(&member); err != nil || member != "left" {
				t.Errorf("the leaver's membership became %q (%v)", member, err)
			}
		})
	}
}
