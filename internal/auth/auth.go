// Package auth signs players in with a code sent by email and manages their
// sessions: random 256-bit bearer tokens stored only as hashes, sliding
// expiry, listing and revocation, and the session lookup every user request
// goes through (served from a write-through cache).
package auth

import (
	"context"
	"crypto/subtle"
	"log/slog"
	netmail "net/mail"
	"net/netip"
	"strings"
	"time"

	"github.com/galaxy-platform/galaxy/internal/ids"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/auth/authstore"
	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/ratelimit"
	"github.com/galaxy-platform/galaxy/internal/user"
)

// MaxCodeAttempts is how many codes a challenge accepts before it locks.
const MaxCodeAttempts = 5

// notifyKind names session changes on the cache channel.
const notifyKind = "session"

// Geo is what sign-in needs of the geo module.
type Geo interface {
	// Country returns the ISO code of addr's country, or "".
	Country(addr netip.Addr) string
	// RecordSignIn counts a sign-in from country; it never blocks.
	RecordSignIn(country string)
}

// Service is the auth module.
type Service struct {
	cfg   config.Auth
	db    *postgres.DB
	users *user.Service
	mail  *mail.Service
	geo   Geo
	cache *SessionCache
	// Limits are per process: with N replicas a client gets up to N times
	// the budget, which still stops abuse.
	byEmail *ratelimit.Limiter
	byIP    *ratelimit.Limiter
	logger  *slog.Logger
}

// New builds the service. geo may be nil (no country, no counters).
func New(cfg config.Auth, db *postgres.DB, users *user.Service, mailer *mail.Service, geo Geo,
	listener *pgnotify.Listener, logger *slog.Logger) *Service {
	s := &Service{
		cfg: cfg, db: db, users: users, mail: mailer, geo: geo,
		cache:   newSessionCache(db),
		byEmail: ratelimit.New(cfg.EmailEvery, cfg.EmailBurst),
		byIP:    ratelimit.New(cfg.IPEvery, cfg.IPBurst),
		logger:  logger.With("module", "auth"),
	}
	listener.Handle(notifyKind, s.cache.Invalidate)
	listener.OnResync(s.cache.Warm)
	return s
}

// Cache returns the session cache (a lifecycle component with Ready).
func (s *Service) Cache() *SessionCache { return s.cache }

// Challenge is an emailed sign-in code waiting to be entered.
type Challenge struct {
	ID        string
	ExpiresAt time.Time
}

// RequestCode mails a sign-in code to email. Any well-formed address gets a
// challenge, whether or not an account exists, so answers never reveal who
// has one. The mail is queued in the challenge's own transaction.
func (s *Service) RequestCode(ctx context.Context, email, locale string, ip netip.Addr) (Challenge, error) {
	email, err := normaliseEmail(email)
	if err != nil {
		return Challenge{}, err
	}
	if d := s.byEmail.Take(email); !d.Allowed {
		return Challenge{}, d.Err("sign-in requests for this address")
	}
	if ip.IsValid() {
		if d := s.byIP.Take(ip.String()); !d.Allowed {
			return Challenge{}, d.Err("sign-in requests for this client")
		}
	}
	ch := Challenge{ID: ids.New("chl_"), ExpiresAt: time.Now().Add(s.cfg.CodeTTL).UTC().Truncate(time.Second)}
	code := newCode()
	err = s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		if err := authstore.New(tx).InsertChallenge(ctx, authstore.InsertChallengeParams{
			ChallengeID: ch.ID, Email: email, CodeHash: codeHash(ch.ID, code),
			MaxAttempts: MaxCodeAttempts, ExpiresAt: ch.ExpiresAt, ClientIp: ipString(ip),
		}); err != nil {
			return err
		}
		_, err := s.mail.EnqueueTx(ctx, tx, mail.Request{
			IdempotencyKey: "auth.login_code:" + ch.ID,
			Template:       "auth.login_code",
			To:             []string{email},
			Locale:         locale,
			Data:           map[string]any{"code": code, "expires_in_minutes": int(s.cfg.CodeTTL.Minutes())},
		})
		return err
	})
	if err != nil {
		return Challenge{}, err
	}
	return ch, nil
}

// SignIn is a new session and its user.
type SignIn struct {
	Token   string
	Session Session
	User    user.User
	Created bool // the account was created by this sign-in
}

// Errors of CreateSession.
var (
	errBadChallenge = errs.E(errs.Unauthenticated, "this sign-in code has expired or was used up; request a new one")
	errWrongCode    = errs.E(errs.Unauthenticated, "wrong code")
	errBlocked      = errs.E(errs.PermissionDenied, "this account is blocked")
)

// CreateSession checks a code and, when it matches, signs the user in
// (creating the account on first sign-in). A wrong code counts against the
// challenge even though the call fails; the fifth wrong code locks it.
func (s *Service) CreateSession(ctx context.Context, challengeID, code string, ip netip.Addr, userAgent string) (SignIn, error) {
	var (
		out      SignIn
		wrong    bool
		attempts int32
	)
	country := ""
	if s.geo != nil && ip.IsValid() {
		country = s.geo.Country(ip)
	}
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := authstore.New(tx)
		ch, err := q.LockChallenge(ctx, challengeID)
		if postgres.IsNoRows(err) {
			return errBadChallenge
		}
		if err != nil {
			return err
		}
		if ch.ConsumedAt != nil || ch.Attempts >= ch.MaxAttempts || time.Now().After(ch.ExpiresAt) {
			return errBadChallenge
		}
		if subtle.ConstantTimeCompare(ch.CodeHash, codeHash(ch.ChallengeID, strings.TrimSpace(code))) != 1 {
			wrong, attempts = true, ch.MaxAttempts-ch.Attempts-1
			return q.CountChallengeAttempt(ctx, ch.ChallengeID) // committed: the attempt counts
		}
		if err := q.ConsumeChallenge(ctx, ch.ChallengeID); err != nil {
			return err
		}
		u, created, err := s.users.FindOrCreateByEmailTx(ctx, tx, ch.Email, country)
		if err != nil {
			return err
		}
		if u.Status != user.StatusActive {
			out.User = u
			return nil // consumed, but no session: answered below
		}
		token, hash := NewToken(UserTokenPrefix)
		sess, err := q.InsertSession(ctx, authstore.InsertSessionParams{
			SessionID: ids.New("ses_"), UserID: u.UserID, TokenHash: hash,
			ExpiresAt: time.Now().Add(s.cfg.SessionTTL), ClientIp: ipString(ip), UserAgent: truncate(userAgent, 256),
		})
		if err != nil {
			return err
		}
		out = SignIn{Token: token, Session: sess, User: u, Created: created}
		return nil
	})
	switch {
	case err != nil:
		return SignIn{}, err
	case wrong:
		return SignIn{}, errWrongCode.WithDetail("attempts_left", attempts)
	case out.Token == "":
		s.users.AfterWrite(out.User)
		return SignIn{}, errBlocked
	}
	s.users.AfterWrite(out.User)
	s.cache.Put(out.Session)
	if s.geo != nil {
		s.geo.RecordSignIn(country)
	}
	s.logger.InfoContext(ctx, "signed in", "user_id", out.User.UserID, "session_id", out.Session.SessionID, "new_user", out.Created)
	return out, nil
}

// errUnauthenticated hides why a token is refused: unknown, revoked and
// expired look the same to a client.
var errUnauthenticated = errs.E(errs.Unauthenticated, "invalid or expired session token")

// Authenticate resolves a bearer token to its session and user, from the
// cache. It extends the session when less than half its lifetime is left
// (sliding expiry) and refuses blocked users.
func (s *Service) Authenticate(ctx context.Context, token string) (authctx.User, user.User, Session, error) {
	if !strings.HasPrefix(token, UserTokenPrefix) {
		return authctx.User{}, user.User{}, Session{}, errUnauthenticated
	}
	sess, ok, err := s.cache.Lookup(ctx, HashToken(token))
	if err != nil {
		return authctx.User{}, user.User{}, Session{}, err
	}
	now := time.Now()
	if !ok || sess.RevokedAt != nil || now.After(sess.ExpiresAt) {
		return authctx.User{}, user.User{}, Session{}, errUnauthenticated
	}
	u, err := s.users.Get(ctx, sess.UserID)
	if errs.Is(err, errs.NotFound) {
		return authctx.User{}, user.User{}, Session{}, errUnauthenticated
	}
	if err != nil {
		return authctx.User{}, user.User{}, Session{}, err
	}
	if u.Status != user.StatusActive {
		return authctx.User{}, user.User{}, Session{}, errBlocked
	}
	if sess.ExpiresAt.Sub(now) < s.cfg.SessionTTL/2 {
		var live bool
		if sess, live = s.extend(ctx, sess); !live {
			return authctx.User{}, user.User{}, Session{}, errUnauthenticated
		}
	}
	s.users.Touch(ctx, u)
	return authctx.User{UserID: u.UserID, SessionID: sess.SessionID}, u, sess, nil
}

// extend slides a session's expiry. live is false when the session turned
// out to be revoked (on another replica, whose notification has not arrived
// yet): it is then dropped from the cache rather than put back as live.
func (s *Service) extend(ctx context.Context, sess Session) (_ Session, live bool) {
	sess.ExpiresAt = time.Now().Add(s.cfg.SessionTTL)
	var n int64
	err := s.db.InTx(context.WithoutCancel(ctx), func(ctx context.Context, tx pgx.Tx) (err error) {
		n, err = authstore.New(tx).ExtendSession(ctx, authstore.ExtendSessionParams{
			SessionID: sess.SessionID, ExpiresAt: sess.ExpiresAt,
		})
		if err != nil || n == 0 {
			return err
		}
		// Other replicas drop their copy and reload the new expiry;
		// otherwise they would refuse the session at its old one.
		return pgnotify.Notify(ctx, tx, notifyKind, sess.SessionID)
	})
	switch {
	case err != nil:
		s.logger.WarnContext(ctx, "extending session failed", "session_id", sess.SessionID, "error", err)
		return sess, true
	case n == 0:
		s.cache.Invalidate(sess.SessionID)
		return sess, false
	}
	s.cache.Put(sess)
	return sess, true
}

// ListSessions returns a user's live sessions, newest first.
func (s *Service) ListSessions(ctx context.Context, userID string) ([]Session, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	rows, err := authstore.New(s.db.Pool).ListUserSessions(ctx, userID)
	return rows, postgres.Translate(err)
}

// SessionsPage returns one page of a user's live sessions, newest first,
// and the cursor of the next page (nil on the last).
func (s *Service) SessionsPage(ctx context.Context, userID string, limit int, after *httpx.Cursor) ([]Session, *httpx.Cursor, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	p := authstore.PageUserSessionsParams{UserID: userID, MaxRows: int32(limit + 1)}
	if after != nil {
		p.BeforeCreated, p.BeforeID = &after.At, &after.ID
	}
	rows, err := authstore.New(s.db.Pool).PageUserSessions(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	page, next := httpx.PageOf(rows, limit, func(s Session) httpx.Cursor { return httpx.Cursor{At: s.CreatedAt, ID: s.SessionID} })
	return page, next, nil
}

// ErrSessionNotFound is returned for a session that is not the caller's or
// no longer live.
var ErrSessionNotFound = errs.E(errs.NotFound, "no such session")

// RevokeSession ends one of the user's sessions, at once on every replica.
func (s *Service) RevokeSession(ctx context.Context, userID, sessionID, reason string) error {
	var sess Session
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) (err error) {
		sess, err = authstore.New(tx).RevokeSession(ctx, authstore.RevokeSessionParams{
			SessionID: sessionID, UserID: userID, Reason: &reason,
		})
		if postgres.IsNoRows(err) {
			return ErrSessionNotFound.WithDetail("session_id", sessionID)
		}
		if err != nil {
			return err
		}
		return pgnotify.Notify(ctx, tx, notifyKind, sessionID)
	})
	if err != nil {
		return err
	}
	s.cache.Put(sess)
	return nil
}

// RevokeAllTx ends every session of a user inside tx (a permanent block).
// Call AfterRevokeAll with the result once tx has committed.
func (s *Service) RevokeAllTx(ctx context.Context, tx pgx.Tx, userID, reason string) ([]Session, error) {
	revoked, err := authstore.New(tx).RevokeUserSessions(ctx, authstore.RevokeUserSessionsParams{UserID: userID, Reason: &reason})
	if err != nil {
		return nil, err
	}
	for _, r := range revoked {
		if err := pgnotify.Notify(ctx, tx, notifyKind, r.SessionID); err != nil {
			return nil, err
		}
	}
	return revoked, nil
}

// AfterRevokeAll drops committed revocations from this replica's cache.
func (s *Service) AfterRevokeAll(revoked []Session) {
	for _, r := range revoked {
		s.cache.Put(r)
	}
}

// Resolve is the gateways' token check: the session behind a token.
func (s *Service) Resolve(ctx context.Context, token string) (Session, error) {
	_, _, sess, err := s.Authenticate(ctx, token)
	if errs.Is(err, errs.PermissionDenied) {
		return Session{}, errUnauthenticated // gateways only need valid or not
	}
	return sess, err
}

func normaliseEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	a, err := netmail.ParseAddress(email)
	if err != nil || a.Name != "" || a.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") {
		return "", errs.E(errs.InvalidArgument, "%q is not an email address", email).WithDetail("field", "email")
	}
	// One account per address whatever its case: providers treat local
	// parts case-insensitively in practice.
	return strings.ToLower(email), nil
}

func ipString(ip netip.Addr) string {
	if !ip.IsValid() {
		return ""
	}
	return ip.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
