package app

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/galaxy-platform/galaxy/api"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

func TestSignInFlow(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))

	t.Run("code by mail, session, me, sign out", func(t *testing.T) {
		s := r.signIn(t, "ann@example.com")
		var me struct {
			UserID, Email, Status string
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/me", s.Token, nil, &me); code != http.StatusOK || me.Email != "ann@example.com" {
			t.Fatalf("me: %d %+v", code, me)
		}
		if code, _ := r.call(t, http.MethodDelete, "/api/v1/user/sessions/current", s.Token, nil, nil); code != http.StatusNoContent {
			t.Fatalf("sign out: %d", code)
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/me", s.Token, nil, nil); code != http.StatusUnauthorized {
			t.Fatalf("revoked token still works: %d", code)
		}
	})

	t.Run("a second sign-in reuses the account", func(t *testing.T) {
		a := r.signIn(t, "bob@example.com")
		b := r.signIn(t, "BOB@example.com")
		if a.User.UserID != b.User.UserID || a.SessionID == b.SessionID {
			t.Fatalf("%+v / %+v", a, b)
		}
		var list struct {
			Items []struct {
				SessionID string `json:"session_id"`
				Current   bool   `json:"current"`
			} `json:"items"`
		}
		r.call(t, http.MethodGet, "/api/v1/user/sessions", b.Token, nil, &list)
		if len(list.Items) != 2 {
			t.Fatalf("sessions: %+v", list)
		}
		if code, _ := r.call(t, http.MethodDelete, "/api/v1/user/sessions/"+a.SessionID, b.Token, nil, nil); code != http.StatusNoContent {
			t.Fatalf("revoke other: %d", code)
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/me", a.Token, nil, nil); code != http.StatusUnauthorized {
			t.Fatalf("revoked session works: %d", code)
		}
		if code, _ := r.call(t, http.MethodDelete, "/api/v1/user/sessions/ses_not_mine", b.Token, nil, nil); code != http.StatusNotFound {
			t.Fatalf("revoking an unknown session: %d", code)
		}
	})

	t.Run("profile changes are validated", func(t *testing.T) {
		s := r.signIn(t, "cleo@example.com")
		var me struct {
			DisplayName string `json:"display_name"`
			Timezone    string `json:"timezone"`
		}
		code, _ := r.call(t, http.MethodPatch, "/api/v1/user/me", s.Token, map[string]string{"display_name": "Cleo", "timezone": "Europe/Berlin"}, &me)
		if code != http.StatusOK || me.DisplayName != "Cleo" || me.Timezone != "Europe/Berlin" {
			t.Fatalf("%d %+v", code, me)
		}
		if code, _ := r.call(t, http.MethodPatch, "/api/v1/user/me", s.Token, map[string]string{"timezone": "Mars/Olympus"}, nil); code != http.StatusBadRequest {
			t.Fatalf("bad timezone: %d", code)
		}
	})

	t.Run("five wrong codes lock the challenge", func(t *testing.T) {
		challengeID, right := r.requestCode(t, "dan@example.com")
		ch := struct{ ChallengeID string }{challengeID}
		wrong := "000000"
		if right == wrong {
			wrong = "111111"
		}
		for i := range 5 {
			if code, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/sessions", "", map[string]string{"challenge_id": ch.ChallengeID, "code": wrong}, nil); code != http.StatusUnauthorized {
				t.Fatalf("wrong code %d: %d", i+1, code)
			}
		}
		if code, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/sessions", "", map[string]string{"challenge_id": ch.ChallengeID, "code": right}, nil); code != http.StatusUnauthorized {
			t.Fatalf("the right code after 5 wrong ones: %d, want 401", code)
		}
	})

	t.Run("an expired code fails", func(t *testing.T) {
		challengeID, code := r.requestCode(t, "eve@example.com")
		ch := struct{ ChallengeID string }{challengeID}
		pool := pgtest.PoolFor(t, r.cfg.Postgres.DSN)
		if _, err := pool.Exec(context.Background(), "UPDATE login_challenges SET expires_at = now() - interval '1 second' WHERE challenge_id = $1", ch.ChallengeID); err != nil {
			t.Fatal(err)
		}
		if status, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/sessions", "", map[string]string{"challenge_id": ch.ChallengeID, "code": code}, nil); status != http.StatusUnauthorized {
			t.Fatalf("expired code: %d", status)
		}
	})

	t.Run("malformed addresses are refused, unknown ones are not revealed", func(t *testing.T) {
		if code, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/login-codes", "", map[string]string{"email": "not-an-address"}, nil); code != http.StatusBadRequest {
			t.Fatalf("%d", code)
		}
		if code, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/login-codes", "", map[string]string{"email": "nobody-yet@example.com"}, nil); code != http.StatusAccepted {
			t.Fatalf("%d", code)
		}
	})
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Auth.EmailBurst, cfg.Auth.EmailEvery = 2, time.Hour
	cfg.Auth.IPBurst, cfg.Auth.IPEvery = 4, time.Hour
	r := startApp(t, cfg)

	for i := range 2 {
		if code, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/login-codes", "", map[string]string{"email": "flood@example.com"}, nil); code != http.StatusAccepted {
			t.Fatalf("request %d: %d", i+1, code)
		}
	}
	code, h := r.call(t, http.MethodPost, "/api/v1/public/auth/login-codes", "", map[string]string{"email": "flood@example.com"}, nil)
	if code != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Fatalf("per address: %d, Retry-After %q", code, h.Get("Retry-After"))
	}
	// The per-address refusal took no client token; two more addresses pass,
	// the next is over the client's budget.
	for _, e := range []string{"x1@example.com", "x2@example.com"} {
		if code, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/login-codes", "", map[string]string{"email": e}, nil); code != http.StatusAccepted {
			t.Fatalf("%s: %d", e, code)
		}
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/login-codes", "", map[string]string{"email": "x3@example.com"}, nil); code != http.StatusTooManyRequests {
		t.Fatalf("per client: %d", code)
	}
}

// routes lists every operation of the OpenAPI document under prefix, with
// path parameters filled in.
func routes(prefix string) [][2]string {
	var out [][2]string
	pathRe := regexp.MustCompile(`^  (/api/v1/\S+):$`)
	methodRe := regexp.MustCompile(`^    (get|post|put|patch|delete):$`)
	paramRe := regexp.MustCompile(`\{[a-z_]+\}`)
	var path string
	sc := bufio.NewScanner(bytes.NewReader(api.OpenAPI))
	for sc.Scan() {
		if m := pathRe.FindStringSubmatch(sc.Text()); m != nil {
			path = m[1]
			continue
		}
		if m := methodRe.FindStringSubmatch(sc.Text()); m != nil && strings.HasPrefix(path, prefix) {
			out = append(out, [2]string{strings.ToUpper(m[1]), paramRe.ReplaceAllString(path, "x")})
		}
	}
	return out
}

func TestAuthorization(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	userTok := r.signIn(t, "frank@example.com").Token
	revoked := r.signIn(t, "frank@example.com")
	r.call(t, http.MethodDelete, "/api/v1/user/sessions/current", revoked.Token, nil, nil)
	adminTok := r.adminToken(t)

	check := func(t *testing.T, prefix string, tokens map[string]string, allowed ...int) {
		t.Helper()
		rs := routes(prefix)
		if len(rs) == 0 {
			t.Fatalf("no routes under %s", prefix)
		}
		for _, rt := range rs {
			if rt[1] == "/api/v1/admin/auth/sessions" {
				continue // admin sign-in is public by design
			}
			for name, tok := range tokens {
				code, _ := r.call(t, rt[0], rt[1], tok, map[string]string{}, nil)
				ok := false
				for _, a := range allowed {
					ok = ok || code == a
				}
				if !ok {
					t.Errorf("%s %s with %s: %d, want %v", rt[0], rt[1], name, code, allowed)
				}
			}
		}
	}
	t.Run("user routes refuse no, revoked and admin tokens", func(t *testing.T) {
		check(t, "/api/v1/user/", map[string]string{"no token": "", "a revoked token": revoked.Token, "an admin token": adminTok}, http.StatusUnauthorized)
	})
	t.Run("admin routes refuse user tokens", func(t *testing.T) {
		check(t, "/api/v1/admin/", map[string]string{"no token": "", "a user token": userTok}, http.StatusUnauthorized, http.StatusForbidden)
	})
	t.Run("internal routes refuse user and admin tokens", func(t *testing.T) {
		check(t, "/api/v1/internal/", map[string]string{"no token": "", "a user token": userTok, "an admin token": adminTok}, http.StatusUnauthorized)
	})
	t.Run("the internal resolve names the session", func(t *testing.T) {
		var out struct {
			UserID    string `json:"user_id"`
			SessionID string `json:"session_id"`
		}
		code, _ := r.call(t, http.MethodPost, "/api/v1/internal/sessions/resolve", r.cfg.InternalToken, map[string]string{"token": userTok}, &out)
		if code != http.StatusOK || out.UserID == "" {
			t.Fatalf("%d %+v", code, out)
		}
		if code, _ := r.call(t, http.MethodPost, "/api/v1/internal/sessions/resolve", r.cfg.InternalToken, map[string]string{"token": revoked.Token}, nil); code != http.StatusUnauthorized {
			t.Fatalf("revoked: %d", code)
		}
	})
}

func TestPermanentBlock(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	a := startApp(t, cfg)
	cfgB := *cfg
	b := startReplica(t, &cfgB, a.sink) // a second replica of the same database
	victim := a.signIn(t, "gina@example.com")
	admin := a.adminToken(t)

	// A gateway subscribed to replica A's push stream.
	conn, err := grpc.NewClient(a.ep.Push.String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sctx, cancel := context.WithTimeout(metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+cfg.Push.Token), 20*time.Second)
	defer cancel()
	stream, err := pushpb.NewPushClient(conn).SubscribePush(sctx, &pushpb.SubscribePushRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil { // the initial resync
		t.Fatal(err)
	}

	// Replica B has seen the token.
	if code, _ := b.call(t, http.MethodGet, "/api/v1/user/me", victim.Token, nil, nil); code != http.StatusOK {
		t.Fatalf("replica B before the block: %d", code)
	}
	blockedAt := time.Now()
	if code, _ := a.call(t, http.MethodPost, "/api/v1/admin/users/"+victim.User.UserID+"/block", admin,
		map[string]any{"reason": "cheating", "permanent": true}, nil); code != http.StatusOK {
		t.Fatalf("block: %d", code)
	}
	if code, _ := a.call(t, http.MethodGet, "/api/v1/user/me", victim.Token, nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("replica A after the block: %d", code)
	}
	for {
		code, _ := b.call(t, http.MethodGet, "/api/v1/user/me", victim.Token, nil, nil)
		if code == http.StatusUnauthorized {
			break
		}
		if time.Since(blockedAt) > time.Second {
			t.Fatalf("replica B still accepts the token %v after the block", time.Since(blockedAt))
		}
		time.Sleep(10 * time.Millisecond)
	}

	ev, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if ev.GetKind() != "auth.session.revoked" || len(ev.GetUserIds()) != 1 || ev.GetUserIds()[0] != victim.User.UserID ||
		time.Since(blockedAt) > time.Second {
		t.Fatalf("push event %v after %v", ev, time.Since(blockedAt))
	}

	// Signing in again is refused; unblocking restores it.
	challengeID, c := a.requestCode(t, "gina@example.com")
	if code, _ := a.call(t, http.MethodPost, "/api/v1/public/auth/sessions", "", map[string]string{"challenge_id": challengeID, "code": c}, nil); code != http.StatusForbidden {
		t.Fatalf("blocked sign-in: %d, want 403", code)
	}
	if code, _ := b.call(t, http.MethodPost, "/api/v1/admin/users/"+victim.User.UserID+"/unblock", admin, nil, nil); code != http.StatusOK {
		t.Fatalf("unblock on replica B with a token from A: %d", code)
	}
	again := a.signIn(t, "gina@example.com")
	if again.User.UserID != victim.User.UserID {
		t.Fatal("unblock lost the account")
	}

	// The audit log, as operators read it (newest first).
	var audit struct {
		Items []struct {
			Action        string `json:"action"`
			AdminUsername string `json:"admin_username"`
			TargetType    string `json:"target_type"`
		} `json:"items"`
	}
	if code, _ := a.call(t, http.MethodGet, "/api/v1/admin/audit?target_type=users&target_id="+victim.User.UserID, admin, nil, &audit); code != http.StatusOK {
		t.Fatalf("audit log: %d", code)
	}
	var actions []string
	for _, e := range audit.Items {
		if e.AdminUsername != testAdminUser {
			t.Errorf("entry %q by %q, want %q", e.Action, e.AdminUsername, testAdminUser)
		}
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "POST /api/v1/admin/users/{user_id}/unblock,POST /api/v1/admin/users/{user_id}/block" {
		t.Fatalf("audit log: %v", actions)
	}
}
