package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/auth"
	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/user"
)

var sixDigits = regexp.MustCompile(`^\d{6}$`)

func TestRequestCode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)

	before := time.Now()
	ch, err := e.svc.RequestCode(ctx, "  Alice@Example.com ", "en", clientIP)
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("answers with a challenge valid ten minutes", func(t *testing.T) {
		lo, hi := before.Add(10*time.Minute).Truncate(time.Second), after.Add(10*time.Minute)
		if !strings.HasPrefix(ch.ID, "chl_") || ch.ExpiresAt.Before(lo) || ch.ExpiresAt.After(hi) {
			t.Fatalf("%+v, want expiry in [%v, %v]", ch, lo, hi)
		}
		n := e.count(t, `SELECT count(*) FROM login_challenges WHERE challenge_id = $1
			AND expires_at = $2 AND expires_at - created_at BETWEEN interval '9 minutes' AND interval '10 minutes'
			AND max_attempts = 5 AND attempts = 0 AND consumed_at IS NULL
			AND email = 'alice@example.com' AND client_ip = '203.0.113.7'`, ch.ID, ch.ExpiresAt)
		if n != 1 {
			t.Fatal("the stored challenge is not as answered")
		}
	})
	t.Run("mails a six-digit code in the same transaction", func(t *testing.T) {
		code := e.codeOf(t, ch.ID)
		if !sixDigits.MatchString(code) {
			t.Fatalf("code %q", code)
		}
		n := e.count(t, `SELECT count(*) FROM mail_deliveries d
			JOIN mail_delivery_recipients r USING (delivery_id) JOIN mail_delivery_payloads p USING (delivery_id)
			WHERE d.idempotency_key = 'auth.login_code:' || $1 AND d.template = 'auth.login_code'
			AND r.address = 'alice@example.com' AND (p.data->>'expires_in_minutes')::int = 10`, ch.ID)
		if n != 1 {
			t.Fatal("no sign-in mail as expected")
		}
	})
	t.Run("stores the code only as a hash", func(t *testing.T) {
		code := e.codeOf(t, ch.ID)
		n := e.count(t, `SELECT count(*) FROM login_challenges WHERE challenge_id = $1
			AND length(code_hash) = 32 AND position(convert_to($2, 'UTF8') IN code_hash) = 0`, ch.ID, code)
		if n != 1 {
			t.Fatal("the code is readable in login_challenges")
		}
	})
	t.Run("answers an address without an account like any other", func(t *testing.T) {
		other, err := e.svc.RequestCode(ctx, "nobody@example.com", "en", clientIP)
		if err != nil || other.ID == ch.ID || other.ID == "" {
			t.Fatalf("%+v %v", other, err)
		}
		if n := e.count(t, "SELECT count(*) FROM users"); n != 0 {
			t.Fatalf("asking for a code created %d accounts", n)
		}
	})
	for _, bad := range []string{"", "not-an-address", "Bob <bob@example.com>", "bob@localhost", "a@b@example.com",
		strings.Repeat("x", 250) + "@example.com"} {
		t.Run(fmt.Sprintf("refuses %.20q without a challenge", bad), func(t *testing.T) {
			before := e.count(t, "SELECT count(*) FROM login_challenges")
			_, err := e.svc.RequestCode(ctx, bad, "en", clientIP)
			if !errs.Is(err, errs.InvalidArgument) {
				t.Fatalf("got %v", err)
			}
			if after := e.count(t, "SELECT count(*) FROM login_challenges"); after != before {
				t.Fatal("a challenge was stored")
			}
		})
	}
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	retryAfter := func(t *testing.T, err error) int {
		t.Helper()
		if !errs.Is(err, errs.RateLimited) {
			t.Fatalf("got %v, want rate_limited", err)
		}
		secs, perr := strconv.Atoi(fmt.Sprint(errs.As(err).Details[httpx.RetryAfterDetail]))
		if perr != nil || secs < 1 || secs > 3600 {
			t.Fatalf("retry after %d s", secs)
		}
		return secs
	}

	t.Run("per address, whatever its case and client", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, func(c *config.Auth) { c.EmailBurst = 2 })
		for i, ip := range []string{"192.0.2.1", "192.0.2.2"} {
			if _, err := e.svc.RequestCode(ctx, []string{"bob@example.com", "BOB@example.com"}[i], "en", netip.MustParseAddr(ip)); err != nil {
				t.Fatal(err)
			}
		}
		_, err := e.svc.RequestCode(ctx, "Bob@Example.com", "en", netip.MustParseAddr("192.0.2.3"))
		retryAfter(t, err)
		if n := e.count(t, "SELECT count(*) FROM login_challenges"); n != 2 {
			t.Fatalf("%d challenges", n)
		}
		if _, err := e.svc.RequestCode(ctx, "carol@example.com", "en", netip.MustParseAddr("192.0.2.3")); err != nil {
			t.Fatalf("another address is limited too: %v", err)
		}
	})
	t.Run("per client address, whatever the address asked for", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, func(c *config.Auth) { c.IPBurst = 3 })
		ip := netip.MustParseAddr("198.51.100.9")
		for i := range 3 {
			if _, err := e.svc.RequestCode(ctx, fmt.Sprintf("p%d@example.com", i), "en", ip); err != nil {
				t.Fatal(err)
			}
		}
		_, err := e.svc.RequestCode(ctx, "p9@example.com", "en", ip)
		retryAfter(t, err)
		if _, err := e.svc.RequestCode(ctx, "p9@example.com", "en", netip.MustParseAddr("198.51.100.10")); err != nil {
			t.Fatalf("another client is limited too: %v", err)
		}
		if _, err := e.svc.RequestCode(ctx, "p10@example.com", "en", netip.MustParseAddr("2001:db8::1")); err != nil {
			t.Fatalf("an IPv6 client is limited too: %v", err)
		}
	})
	t.Run("retry-after says when a token is back", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, func(c *config.Auth) { c.EmailBurst, c.EmailEvery = 1, 2*time.Minute })
		if _, err := e.svc.RequestCode(ctx, "dan@example.com", "en", clientIP); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.RequestCode(ctx, "dan@example.com", "en", clientIP)
		if secs := retryAfter(t, err); secs > 120 {
			t.Fatalf("retry after %d s, the bucket refills in 120 s", secs)
		}
	})
	t.Run("a malformed address does not use up the budget", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, func(c *config.Auth) { c.IPBurst = 1 })
		for range 3 {
			if _, err := e.svc.RequestCode(ctx, "not-an-address", "en", clientIP); !errs.Is(err, errs.InvalidArgument) {
				t.Fatalf("got %v", err)
			}
		}
		if _, err := e.svc.RequestCode(ctx, "erin@example.com", "en", clientIP); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCreateSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("the right code signs in and creates the account on first sign-in", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		ch, code := e.requestCode(t, "Fay@Example.com")
		before := time.Now()
		in, err := e.svc.CreateSession(ctx, ch.ID, " "+code+" ", clientIP, "test-agent/1.0")
		if err != nil {
			t.Fatal(err)
		}
		if !in.Created || in.User.Email != "fay@example.com" || in.User.DisplayName != "fay" ||
			in.User.Country != "NL" || in.User.Status != user.StatusActive {
			t.Fatalf("%+v", in)
		}
		if !strings.HasPrefix(in.Token, auth.UserTokenPrefix) || in.Session.UserID != in.User.UserID ||
			!strings.HasPrefix(in.Session.SessionID, "ses_") {
			t.Fatalf("%+v", in)
		}
		if in.Session.ExpiresAt.Before(before.Add(e.cfg.SessionTTL - time.Second)) {
			t.Fatalf("session expires %v", in.Session.ExpiresAt)
		}
		if n := e.count(t, `SELECT count(*) FROM sessions WHERE session_id = $1 AND user_id = $2
			AND client_ip = '203.0.113.7' AND user_agent = 'test-agent/1.0' AND revoked_at IS NULL`,
			in.Session.SessionID, in.User.UserID); n != 1 {
			t.Fatal("session row not as answered")
		}
		if n := e.count(t, "SELECT count(*) FROM outbox_events WHERE type = $1", outbox.TypeUserRegistered); n != 1 {
			t.Fatalf("%d user.registered events", n)
		}
		if got := e.geo.counted(); len(got) != 1 || got[0] != "NL" {
			t.Fatalf("sign-ins counted %v", got)
		}
		if _, _, _, err := e.svc.Authenticate(ctx, in.Token); err != nil {
			t.Fatalf("the new token does not authenticate: %v", err)
		}
	})
	t.Run("a later sign-in finds the same account and opens another session", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		first := e.signIn(t, "gus@example.com")
		second := e.signIn(t, "GUS@example.com")
		if second.Created || second.User.UserID != first.User.UserID {
			t.Fatalf("%+v", second)
		}
		if second.Token == first.Token || second.Session.SessionID == first.Session.SessionID {
			t.Fatal("the same session twice")
		}
		if n := e.count(t, "SELECT count(*) FROM users"); n != 1 {
			t.Fatalf("%d users", n)
		}
	})
	t.Run("a code works once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		ch, code := e.requestCode(t, "hal@example.com")
		if _, err := e.svc.CreateSession(ctx, ch.ID, code, clientIP, ""); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.CreateSession(ctx, ch.ID, code, clientIP, "")
		if !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a wrong code is refused and counts; the fifth locks the challenge", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		ch, code := e.requestCode(t, "ida@example.com")
		for i := range auth.MaxCodeAttempts {
			_, err := e.svc.CreateSession(ctx, ch.ID, wrongCode(code, i), clientIP, "")
			if !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("try %d: %v", i+1, err)
			}
			if left := fmt.Sprint(errs.As(err).Details["attempts_left"]); left != fmt.Sprint(auth.MaxCodeAttempts-1-i) {
				t.Fatalf("try %d: %s attempts left", i+1, left)
			}
		}
		_, err := e.svc.CreateSession(ctx, ch.ID, code, clientIP, "")
		if !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("the right code after five wrong ones: %v", err)
		}
		if _, ok := errs.As(err).Details["attempts_left"]; ok {
			t.Fatalf("an exhausted challenge still counts tries: %v", err)
		}
		if n := e.count(t, "SELECT count(*) FROM login_challenges WHERE challenge_id = $1 AND attempts = 5", ch.ID); n != 1 {
			t.Fatal("attempts not recorded")
		}
		if n := e.count(t, "SELECT count(*) FROM users"); n != 0 {
			t.Fatalf("%d users", n)
		}
	})
	t.Run("the right code within five tries still works", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		ch, code := e.requestCode(t, "jon@example.com")
		for i := range auth.MaxCodeAttempts - 1 {
			if _, err := e.svc.CreateSession(ctx, ch.ID, wrongCode(code, i), clientIP, ""); !errs.Is(err, errs.Unauthenticated) {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.CreateSession(ctx, ch.ID, code, clientIP, ""); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("concurrent guesses get five tries in all", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		ch, code := e.requestCode(t, "kim@example.com")
		const guesses = 12
		var (
			wg               sync.WaitGroup
			mu               sync.Mutex
			wrong, exhausted int
		)
		for i := range guesses {
			wg.Go(func() {
				_, err := e.svc.CreateSession(ctx, ch.ID, wrongCode(code, 1000*i), clientIP, "")
				mu.Lock()
				defer mu.Unlock()
				_, counted := errs.As(err).Details["attempts_left"]
				switch {
				case !errs.Is(err, errs.Unauthenticated):
					t.Errorf("got %v", err)
				case counted:
					wrong++
				default:
					exhausted++
				}
			})
		}
		wg.Wait()
		if wrong != auth.MaxCodeAttempts || exhausted != guesses-auth.MaxCodeAttempts {
			t.Fatalf("%d counted, %d refused as exhausted", wrong, exhausted)
		}
	})
	t.Run("an expired challenge is refused even with the right code", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		ch, code := e.requestCode(t, "lea@example.com")
		// Ten minutes later.
		e.exec(t, "UPDATE login_challenges SET created_at = created_at - interval '10 minutes 1 second', "+
			"expires_at = expires_at - interval '10 minutes 1 second' WHERE challenge_id = $1", ch.ID)
		_, err := e.svc.CreateSession(ctx, ch.ID, code, clientIP, "")
		if !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("got %v", err)
		}
		if n := e.count(t, "SELECT count(*) FROM users"); n != 0 {
			t.Fatalf("%d users", n)
		}
	})
	t.Run("a challenge nearly ten minutes old still works", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		ch, code := e.requestCode(t, "max@example.com")
		e.exec(t, "UPDATE login_challenges SET created_at = created_at - interval '9 minutes', "+
			"expires_at = expires_at - interval '9 minutes' WHERE challenge_id = $1", ch.ID)
		if _, err := e.svc.CreateSession(ctx, ch.ID, code, clientIP, ""); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an unknown challenge is refused", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		if _, err := e.svc.CreateSession(ctx, "chl_unknown", "123456", clientIP, ""); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("got %v", err)
		}
	})
	for _, status := range []string{user.StatusBlocked, user.StatusBlockedPermanently} {
		t.Run("a "+status+" user is refused with permission_denied and no session", func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			first := e.signIn(t, "ned@example.com")
			e.setStatus(t, first.User.UserID, status)
			ch, code := e.requestCode(t, "ned@example.com")
			_, err := e.svc.CreateSession(ctx, ch.ID, code, clientIP, "")
			if !errs.Is(err, errs.PermissionDenied) {
				t.Fatalf("got %v", err)
			}
			if n := e.count(t, "SELECT count(*) FROM sessions WHERE user_id = $1", first.User.UserID); n != 1 {
				t.Fatalf("%d sessions", n)
			}
			// The code is spent all the same.
			if _, err := e.svc.CreateSession(ctx, ch.ID, code, clientIP, ""); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestTokensAreStoredOnlyAsHashes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	in := e.signIn(t, "oli@example.com")
	secret := strings.TrimPrefix(in.Token, auth.UserTokenPrefix)

	t.Run("a token carries 256 random bits", func(t *testing.T) {
		raw, err := base64.RawURLEncoding.DecodeString(secret)
		if err != nil || len(raw) < 32 {
			t.Fatalf("%d bytes, %v", len(raw), err)
		}
		a, ha := auth.NewToken(auth.UserTokenPrefix)
		b, hb := auth.NewToken(auth.UserTokenPrefix)
		if a == b || string(ha) == string(hb) {
			t.Fatal("two tokens alike")
		}
	})
	t.Run("the sessions table holds the token's SHA-256", func(t *testing.T) {
		sum := sha256.Sum256([]byte(in.Token))
		if string(auth.HashToken(in.Token)) != string(sum[:]) {
			t.Fatal("HashToken is not SHA-256")
		}
		if n := e.count(t, "SELECT count(*) FROM sessions WHERE session_id = $1 AND token_hash = $2",
			in.Session.SessionID, sum[:]); n != 1 {
			t.Fatal("no session under the token's hash")
		}
	})
	t.Run("no table holds the token itself", func(t *testing.T) {
		rows, err := e.pool.Query(ctx, `SELECT quote_ident(table_name) FROM information_schema.tables
			WHERE table_schema = 'backend' AND table_type = 'BASE TABLE'`)
		if err != nil {
			t.Fatal(err)
		}
		var tables []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			tables = append(tables, name)
		}
		if rows.Close(); rows.Err() != nil || len(tables) < 5 {
			t.Fatalf("%v %v", tables, rows.Err())
		}
		for _, table := range tables {
			if n := e.count(t, "SELECT count(*) FROM "+table+" x WHERE strpos(row_to_json(x)::text, $1) > 0", secret); n != 0 {
				t.Errorf("%s holds the token in clear", table)
			}
		}
	})
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("a live token resolves to its user and session", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		in := e.signIn(t, "pia@example.com")
		caller, u, sess, err := e.svc.Authenticate(ctx, in.Token)
		if err != nil || caller.UserID != in.User.UserID || caller.SessionID != in.Session.SessionID ||
			u.UserID != in.User.UserID || sess.SessionID != in.Session.SessionID {
			t.Fatalf("%+v %+v %v", caller, sess, err)
		}
		if n := e.count(t, "SELECT count(*) FROM users WHERE user_id = $1 AND last_seen_at IS NOT NULL", u.UserID); n != 1 {
			t.Fatal("activity not recorded")
		}
	})
	t.Run("a session opened on one replica works on another at once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		other := replica(t, e.pool, e.cfg, false)
		if err := other.svc.Cache().Start(ctx); err != nil {
			t.Fatal(err)
		}
		in := e.signIn(t, "quin@example.com")
		if _, _, _, err := other.svc.Authenticate(ctx, in.Token); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("unknown, malformed and admin tokens are unauthenticated", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		in := e.signIn(t, "rex@example.com")
		adminLike := auth.AdminTokenPrefix + strings.TrimPrefix(in.Token, auth.UserTokenPrefix)
		unknown, _ := auth.NewToken(auth.UserTokenPrefix)
		for _, tok := range []string{"", "gxu_", "garbage", unknown, adminLike, strings.ToUpper(in.Token)} {
			if _, _, _, err := e.svc.Authenticate(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
				t.Errorf("%.12q: %v", tok, err)
			}
		}
	})
	t.Run("an expired session is unauthenticated", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		in := e.signIn(t, "sam@example.com")
		e.exec(t, "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE session_id = $1", in.Session.SessionID)
		// The replica that opened it cached its expiry; one that has to
		// load it (another process, or this one restarted) sees the aged row.
		other := replica(t, e.pool, e.cfg, false)
		if err := other.svc.Cache().Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := other.svc.Authenticate(ctx, in.Token); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("got %v", err)
		}
		if _, err := other.svc.Resolve(ctx, in.Token); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("resolve: %v", err)
		}
		if list, err := e.svc.ListSessions(ctx, in.User.UserID); err != nil || len(list) != 0 {
			t.Fatalf("listed %d, %v", len(list), err)
		}
	})
	t.Run("a session past half its lifetime is extended by a full one", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		in := e.signIn(t, "tia@example.com")
		e.exec(t, "UPDATE sessions SET expires_at = now() + interval '100 hours' WHERE session_id = $1", in.Session.SessionID)
		other := replica(t, e.pool, e.cfg, false)
		_, _, sess, err := other.svc.Authenticate(ctx, in.Token)
		if err != nil {
			t.Fatal(err)
		}
		if time.Until(sess.ExpiresAt) < e.cfg.SessionTTL-time.Hour {
			t.Fatalf("expires %v", sess.ExpiresAt)
		}
		if n := e.count(t, "SELECT count(*) FROM sessions WHERE session_id = $1 AND expires_at > now() + interval '710 hours'",
			in.Session.SessionID); n != 1 {
			t.Fatal("the extension was not saved")
		}
	})
	t.Run("a session with more than half its lifetime left is not extended", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		in := e.signIn(t, "uma@example.com")
		e.exec(t, "UPDATE sessions SET expires_at = now() + interval '500 hours' WHERE session_id = $1", in.Session.SessionID)
		other := replica(t, e.pool, e.cfg, false)
		if _, _, _, err := other.svc.Authenticate(ctx, in.Token); err != nil {
			t.Fatal(err)
		}
		if n := e.count(t, "SELECT count(*) FROM sessions WHERE session_id = $1 AND expires_at < now() + interval '501 hours'",
			in.Session.SessionID); n != 1 {
			t.Fatal("extended too early")
		}
	})
	t.Run("an extension reaches the other replicas", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		in := e.signIn(t, "vic@example.com")
		e.exec(t, "UPDATE sessions SET expires_at = now() + interval '100 hours' WHERE session_id = $1", in.Session.SessionID)
		a := replica(t, e.pool, e.cfg, true)
		b := replica(t, e.pool, e.cfg, true)
		// b holds the old expiry in memory ...
		if s, ok, err := b.svc.Cache().Lookup(ctx, auth.HashToken(in.Token)); err != nil || !ok ||
			time.Until(s.ExpiresAt) > 101*time.Hour {
			t.Fatalf("%v %v %v", s.ExpiresAt, ok, err)
		}
		// ... until a extends the session: b must not go on refusing it at
		// the old expiry while the database says it is good for 30 days.
		if _, _, _, err := a.svc.Authenticate(ctx, in.Token); err != nil {
			t.Fatal(err)
		}
		eventually(t, "b holds the new expiry", func() bool {
			s, ok, err := b.svc.Cache().Lookup(ctx, auth.HashToken(in.Token))
			return err == nil && ok && time.Until(s.ExpiresAt) > 700*time.Hour
		})
	})
	t.Run("an extension that finds the session revoked does not revive it", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		in := e.signIn(t, "wes@example.com")
		e.exec(t, "UPDATE sessions SET expires_at = now() + interval '100 hours' WHERE session_id = $1", in.Session.SessionID)
		a := replica(t, e.pool, e.cfg, false)
		if err := a.svc.Cache().Start(ctx); err != nil {
			t.Fatal(err)
		}
		// Revoked elsewhere; the notification has not reached a yet.
		e.exec(t, "UPDATE sessions SET revoked_at = now(), revoke_reason = 'elsewhere' WHERE session_id = $1", in.Session.SessionID)
		if _, _, _, err := a.svc.Authenticate(ctx, in.Token); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("got %v", err)
		}
		if _, _, _, err := a.svc.Authenticate(ctx, in.Token); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("a second try: %v", err)
		}
	})
	t.Run("a blocked user's token is refused until unblocked", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		in := e.signIn(t, "xia@example.com")
		e.setStatus(t, in.User.UserID, user.StatusBlocked)
		if _, _, _, err := e.svc.Authenticate(ctx, in.Token); !errs.Is(err, errs.PermissionDenied) {
			t.Fatalf("got %v", err)
		}
		// Gateways only tell valid from invalid.
		if _, err := e.svc.Resolve(ctx, in.Token); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("resolve: %v", err)
		}
		e.setStatus(t, in.User.UserID, user.StatusActive)
		if _, _, _, err := e.svc.Authenticate(ctx, in.Token); err != nil {
			t.Fatalf("after unblocking: %v", err)
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	first := e.signIn(t, "yan@example.com")
	second := e.signIn(t, "yan@example.com")
	third := e.signIn(t, "yan@example.com")
	other := e.signIn(t, "zoe@example.com")
	alice := first.User.UserID

	t.Run("lists the user's live sessions, newest first", func(t *testing.T) {
		list, err := e.svc.ListSessions(ctx, alice)
		if err != nil || len(list) != 3 {
			t.Fatalf("%d %v", len(list), err)
		}
		if list[0].SessionID != third.Session.SessionID || list[2].SessionID != first.Session.SessionID {
			t.Fatalf("order %s %s %s", list[0].SessionID, list[1].SessionID, list[2].SessionID)
		}
	})
	t.Run("refuses to revoke someone else's session", func(t *testing.T) {
		err := e.svc.RevokeSession(ctx, alice, other.Session.SessionID, "nosy")
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("got %v", err)
		}
		if _, _, _, err := e.svc.Authenticate(ctx, other.Token); err != nil {
			t.Fatalf("the other user's session suffered: %v", err)
		}
	})
	t.Run("revokes one session by id, leaving the others", func(t *testing.T) {
		if err := e.svc.RevokeSession(ctx, alice, first.Session.SessionID, "revoked by its owner"); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := e.svc.Authenticate(ctx, first.Token); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("revoked token: %v", err)
		}
		if _, _, _, err := e.svc.Authenticate(ctx, second.Token); err != nil {
			t.Fatalf("sibling token: %v", err)
		}
		if n := e.count(t, "SELECT count(*) FROM sessions WHERE session_id = $1 AND revoked_at IS NOT NULL AND revoke_reason = 'revoked by its owner'",
			first.Session.SessionID); n != 1 {
			t.Fatal("revocation not recorded")
		}
		if list, _ := e.svc.ListSessions(ctx, alice); len(list) != 2 {
			t.Fatalf("%d listed", len(list))
		}
	})
	t.Run("a revoked or unknown session cannot be revoked again", func(t *testing.T) {
		for _, id := range []string{first.Session.SessionID, "ses_unknown"} {
			if err := e.svc.RevokeSession(ctx, alice, id, "again"); !errs.Is(err, errs.NotFound) {
				t.Fatalf("%s: %v", id, err)
			}
		}
	})
	t.Run("revoking all ends every session of the user and no other", func(t *testing.T) {
		var revoked []auth.Session
		err := e.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) (err error) {
			revoked, err = e.svc.RevokeAllTx(ctx, tx, alice, "blocked")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		e.svc.AfterRevokeAll(revoked)
		if len(revoked) != 2 {
			t.Fatalf("%d revoked", len(revoked))
		}
		for _, tok := range []string{second.Token, third.Token} {
			if _, _, _, err := e.svc.Authenticate(ctx, tok); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("got %v", err)
			}
		}
		if _, _, _, err := e.svc.Authenticate(ctx, other.Token); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRevocationReachesOtherReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	b := replica(t, e.pool, e.cfg, true)
	in := e.signIn(t, "amy@example.com")
	if _, _, _, err := b.svc.Authenticate(ctx, in.Token); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RevokeSession(ctx, in.User.UserID, in.Session.SessionID, "signed out"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the other replica refuses the token", func() bool {
		_, _, _, err := b.svc.Authenticate(ctx, in.Token)
		return errs.Is(err, errs.Unauthenticated)
	})
}
