package admin_test

import (
	"context"
	"crypto/sha256"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/admin"
	"github.com/galaxy-platform/galaxy/internal/auth"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/user"
)

func TestCreateAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)

	for _, c := range []struct{ name, username, password string }{
		{"an empty username", "", adminPassword},
		{"a blank username", "   ", adminPassword},
		{"a username of 65 characters", strings.Repeat("u", 65), adminPassword},
		{"a password of 11 characters", "shorty", "elevenchars"},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			err := admin.CreateAdmin(ctx, e.db, c.username, c.password, false)
			if !errs.Is(err, errs.InvalidArgument) {
				t.Fatalf("got %v", err)
			}
			if n := e.count(t, "SELECT count(*) FROM admins"); n != 1 {
				t.Fatalf("%d admins", n)
			}
		})
	}
	t.Run("stores an argon2id hash, never the password", func(t *testing.T) {
		var hash string
		if err := e.pool.QueryRow(ctx, "SELECT password_hash FROM admins WHERE admin_id = $1", e.adminID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, adminPassword) {
			t.Fatalf("%q", hash)
		}
		if ok, err := admin.VerifyPassword(hash, adminPassword); !ok || err != nil {
			t.Fatalf("%v %v", ok, err)
		}
	})
	t.Run("audits the creation", func(t *testing.T) {
		n := e.count(t, `SELECT count(*) FROM admin_audit_log WHERE action = 'admin.create' AND admin_id = $1
			AND target_type = 'admin' AND target_id = $1 AND details->>'username' = $2`, e.adminID, adminName)
		if n != 1 {
			t.Fatalf("%d audit entries", n)
		}
	})
	t.Run("refuses a name taken in any case", func(t *testing.T) {
		err := admin.CreateAdmin(ctx, e.db, " ROOT ", "another long password", false)
		if !errs.Is(err, errs.Conflict) {
			t.Fatalf("got %v", err)
		}
		if _, _, err := e.svc.SignIn(ctx, adminName, "another long password"); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("the refused creation changed the password: %v", err)
		}
	})
	t.Run("with replace, resets the password of an existing name", func(t *testing.T) {
		if err := admin.CreateAdmin(ctx, e.db, "ops", "first long password", false); err != nil {
			t.Fatal(err)
		}
		if err := admin.CreateAdmin(ctx, e.db, "ops", "second long password", true); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, "SELECT count(*) FROM admins WHERE username = 'ops'"); n != 1 {
			t.Fatalf("%d rows", n)
		}
		if _, _, err := e.svc.SignIn(ctx, "ops", "first long password"); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("the old password still works: %v", err)
		}
		if _, _, err := e.svc.SignIn(ctx, "ops", "second long password"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)

	t.Run("the right password opens an admin session", func(t *testing.T) {
		before := time.Now()
		tok, expires, err := e.svc.SignIn(ctx, adminName, adminPassword)
		after := time.Now()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, auth.AdminTokenPrefix) || len(tok) < len(auth.AdminTokenPrefix)+43 {
			t.Fatalf("token %q", tok)
		}
		if expires.Before(before.Add(adminTTL-time.Second)) || expires.After(after.Add(adminTTL+time.Second)) {
			t.Fatalf("expires %v", expires)
		}
		sum := sha256.Sum256([]byte(tok))
		if n := e.count(t, "SELECT count(*) FROM admin_sessions WHERE admin_id = $1 AND token_hash = $2 AND revoked_at IS NULL",
			e.adminID, sum[:]); n != 1 {
			t.Fatal("no session under the token's hash")
		}
		secret := strings.TrimPrefix(tok, auth.AdminTokenPrefix)
		if n := e.count(t, "SELECT count(*) FROM admin_sessions s WHERE strpos(row_to_json(s)::text, $1) > 0", secret); n != 0 {
			t.Fatal("the token is stored in clear")
		}
		if a, err := e.svc.Authenticate(ctx, tok); err != nil || a.AdminID != e.adminID || a.SessionID == "" {
			t.Fatalf("%+v %v", a, err)
		}
	})
	t.Run("is audited", func(t *testing.T) {
		if n := e.count(t, "SELECT count(*) FROM admin_audit_log WHERE action = 'admin.sign_in' AND admin_id = $1", e.adminID); n != 1 {
			t.Fatalf("%d audit entries", n)
		}
	})
	t.Run("the username is not case-sensitive", func(t *testing.T) {
		if _, _, err := e.svc.SignIn(ctx, "Root", adminPassword); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a wrong password and an unknown name are refused alike", func(t *testing.T) {
		sessions := e.count(t, "SELECT count(*) FROM admin_sessions")
		_, _, wrong := e.svc.SignIn(ctx, adminName, adminPassword+"!")
		_, _, unknown := e.svc.SignIn(ctx, "nobody", adminPassword)
		if !errs.Is(wrong, errs.Unauthenticated) || wrong.Error() != unknown.Error() {
			t.Fatalf("wrong password: %v; unknown name: %v", wrong, unknown)
		}
		if n := e.count(t, "SELECT count(*) FROM admin_sessions"); n != sessions {
			t.Fatal("a refused sign-in opened a session")
		}
	})
}

func TestAdminSessionsAreNotUserSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	adminTok := e.adminToken(t)
	player := e.signIn(t, "pat@example.com")
	swap := func(tok, from, to string) string { return to + strings.TrimPrefix(tok, from) }

	t.Run("an admin token is no user token", func(t *testing.T) {
		for _, tok := range []string{adminTok, swap(adminTok, auth.AdminTokenPrefix, auth.UserTokenPrefix)} {
			if _, _, _, err := e.auth.Authenticate(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("got %v", err)
			}
		}
	})
	t.Run("a user token is no admin token", func(t *testing.T) {
		for _, tok := range []string{player.Token, swap(player.Token, auth.UserTokenPrefix, auth.AdminTokenPrefix)} {
			if _, err := e.svc.Authenticate(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("got %v", err)
			}
		}
		if _, err := e.svc.Authenticate(ctx, ""); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("each lives in its own table", func(t *testing.T) {
		if n := e.count(t, "SELECT count(*) FROM sessions WHERE token_hash = $1", auth.HashToken(adminTok)); n != 0 {
			t.Fatal("an admin session among user sessions")
		}
		if n := e.count(t, "SELECT count(*) FROM admin_sessions WHERE token_hash = $1", auth.HashToken(player.Token)); n != 0 {
			t.Fatal("a user session among admin sessions")
		}
	})
	t.Run("an admin session opened on one replica works on another at once", func(t *testing.T) {
		other := replica(t, e.pool, false)
		if err := other.svc.Cache().Start(ctx); err != nil {
			t.Fatal(err)
		}
		tok := e.adminToken(t)
		if _, err := other.svc.Authenticate(ctx, tok); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an expired admin session is refused", func(t *testing.T) {
		tok := e.adminToken(t)
		e.exec(t, "UPDATE admin_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1", auth.HashToken(tok))
		// Loaded by a replica (or after a restart), the aged row is refused.
		other := replica(t, e.pool, false)
		if err := other.svc.Cache().Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := other.svc.Authenticate(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestBlock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	events := func(t *testing.T, e *env, typ, userID string) int {
		t.Helper()
		return e.count(t, "SELECT count(*) FROM outbox_events WHERE type = $1 AND aggregate_id = $2", typ, userID)
	}

	t.Run("a temporary block refuses the user but keeps the sessions", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		in := e.signIn(t, "quinn@example.com")
		u, err := e.svc.Block(ctx, e.adminID, in.User.UserID, "spam", false)
		if err != nil {
			t.Fatal(err)
		}
		if u.Status != user.StatusBlocked || u.BlockReason == nil || *u.BlockReason != "spam" {
			t.Fatalf("%+v", u)
		}
		if _, _, _, err := e.auth.Authenticate(ctx, in.Token); !errs.Is(err, errs.PermissionDenied) {
			t.Fatalf("got %v", err)
		}
		if n := e.count(t, "SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL", in.User.UserID); n != 1 {
			t.Fatalf("%d live sessions", n)
		}
		if len(e.push.sent()) != 0 || len(e.cascade.seen()) != 0 {
			t.Fatalf("pushed %v, cascaded %v", e.push.sent(), e.cascade.seen())
		}
		if n := e.count(t, "SELECT count(*) FROM outbox_events WHERE type = $1 AND aggregate_id = $2 AND payload->>'permanent' = 'false' AND payload->>'blocked_by' = $3",
			outbox.TypeUserBlocked, in.User.UserID, e.adminID); n != 1 {
			t.Fatalf("%d user.blocked events", n)
		}

		t.Run("and unblocking lets the same session in again", func(t *testing.T) {
			u, err := e.svc.Unblock(ctx, e.adminID, in.User.UserID)
			if err != nil || u.Status != user.StatusActive || u.BlockReason != nil {
				t.Fatalf("%+v %v", u, err)
			}
			if _, _, _, err := e.auth.Authenticate(ctx, in.Token); err != nil {
				t.Fatal(err)
			}
			if n := events(t, e, outbox.TypeUserUnblocked, in.User.UserID); n != 1 {
				t.Fatalf("%d user.unblocked events", n)
			}
		})
	})
	t.Run("a permanent block revokes every session, pushes it and runs the cascade", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		s1 := e.signIn(t, "rita@example.com")
		s2 := e.signIn(t, "rita@example.com")
		bystander := e.signIn(t, "sid@example.com")
		uid := s1.User.UserID
		// Another replica that has the session cached.
		other := replica(t, e.pool, true)
		if _, _, _, err := other.auth.Authenticate(ctx, s1.Token); err != nil {
			t.Fatal(err)
		}

		u, err := e.svc.Block(ctx, e.adminID, uid, "cheating", true)
		if err != nil || u.Status != user.StatusBlockedPermanently {
			t.Fatalf("%+v %v", u, err)
		}
		if n := e.count(t, "SELECT count(*) FROM sessions WHERE user_id = $1 AND (revoked_at IS NULL OR revoke_reason <> 'blocked')", uid); n != 0 {
			t.Fatalf("%d sessions not revoked", n)
		}
		for _, tok := range []string{s1.Token, s2.Token} {
			if _, _, _, err := e.auth.Authenticate(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("got %v", err)
			}
		}
		if _, _, _, err := e.auth.Authenticate(ctx, bystander.Token); err != nil {
			t.Fatalf("the bystander suffered: %v", err)
		}
		eventually(t, "the other replica refuses the token", func() bool {
			_, _, _, err := other.auth.Authenticate(ctx, s1.Token)
			return errs.Is(err, errs.Unauthenticated)
		})

		sent := e.push.sent()
		if len(sent) != 1 || sent[0].kind != "auth.session.revoked" || !slices.Equal(sent[0].userIDs, []string{uid}) {
			t.Fatalf("pushed %+v", sent)
		}
		ids, _ := sent[0].payload["session_ids"].([]string)
		slices.Sort(ids)
		want := []string{s1.Session.SessionID, s2.Session.SessionID}
		slices.Sort(want)
		if !slices.Equal(ids, want) || sent[0].payload["reason"] != "blocked" {
			t.Fatalf("payload %v, want sessions %v", sent[0].payload, want)
		}
		if got := e.cascade.seen(); !slices.Equal(got, []string{uid + " " + user.StatusBlockedPermanently}) {
			t.Fatalf("cascade saw %v", got)
		}
		if n := e.count(t, "SELECT count(*) FROM outbox_events WHERE type = $1 AND aggregate_id = $2 AND payload->>'permanent' = 'true'",
			outbox.TypeUserBlocked, uid); n != 1 {
			t.Fatalf("%d user.blocked events", n)
		}

		t.Run("and after unblocking the old sessions stay revoked, a new sign-in works", func(t *testing.T) {
			if _, err := e.svc.Unblock(ctx, e.adminID, uid); err != nil {
				t.Fatal(err)
			}
			if _, _, _, err := e.auth.Authenticate(ctx, s1.Token); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("got %v", err)
			}
			again := e.signIn(t, "rita@example.com")
			if again.User.UserID != uid {
				t.Fatalf("a new account %s", again.User.UserID)
			}
			if _, _, _, err := e.auth.Authenticate(ctx, again.Token); err != nil {
				t.Fatal(err)
			}
		})
	})
	t.Run("a failing cascade undoes the whole block", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		in := e.signIn(t, "tom@example.com")
		e.cascade.fail = errCascade
		if _, err := e.svc.Block(ctx, e.adminID, in.User.UserID, "x", true); err == nil {
			t.Fatal("the block succeeded")
		}
		if u, err := e.users.Get(ctx, in.User.UserID); err != nil || u.Status != user.StatusActive {
			t.Fatalf("%+v %v", u, err)
		}
		if n := e.count(t, "SELECT count(*) FROM users WHERE user_id = $1 AND status = 'active'", in.User.UserID); n != 1 {
			t.Fatal("the block was committed")
		}
		if _, _, _, err := e.auth.Authenticate(ctx, in.Token); err != nil {
			t.Fatalf("the session was revoked: %v", err)
		}
		if len(e.push.sent()) != 0 || events(t, e, outbox.TypeUserBlocked, in.User.UserID) != 0 {
			t.Fatal("a rolled-back block was announced")
		}
	})
	t.Run("an unknown user is not found", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		for _, permanent := range []bool{false, true} {
			if _, err := e.svc.Block(ctx, e.adminID, "usr_nobody", "x", permanent); !errs.Is(err, errs.NotFound) {
				t.Fatalf("got %v", err)
			}
		}
		if _, err := e.svc.Unblock(ctx, e.adminID, "usr_nobody"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("got %v", err)
		}
		if len(e.push.sent()) != 0 || len(e.cascade.seen()) != 0 {
			t.Fatal("side effects for nobody")
		}
	})
}
