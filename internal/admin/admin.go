// Package admin owns operator accounts (argon2id passwords, sessions whose
// tokens are never user tokens), the admin audit log, and the operator
// actions on players: search, block (temporary or permanent) and unblock.
package admin

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/galaxy-platform/galaxy/internal/ids"
	"github.com/galaxy-platform/galaxy/internal/outbox"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/admin/adminstore"
	"github.com/galaxy-platform/galaxy/internal/auth"
	"github.com/galaxy-platform/galaxy/internal/authctx"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/ratelimit"
	"github.com/galaxy-platform/galaxy/internal/tokencache"
	"github.com/galaxy-platform/galaxy/internal/user"
)

// notifyKind names admin session changes on the cache channel.
const notifyKind = "admin_session"

// Session is a stored admin session.
type Session = adminstore.AdminSession

// Publisher delivers a push event to users' gateways.
type Publisher interface {
	PublishToUsers(userIDs []string, kind string, payload any)
}

// BlockCascade is the lobby's part of a permanent block: it is called
// inside the block's transaction, so the cascade is durable (queued) if and
// only if the block commits.
type BlockCascade interface {
	OnUserBlockedPermanentlyTx(ctx context.Context, tx pgx.Tx, userID string) error
}

// Service is the admin module.
type Service struct {
	db      *postgres.DB
	users   *user.Service
	auth    *auth.Service
	push    Publisher
	cascade BlockCascade
	ttl     time.Duration
	cache   *tokencache.Cache[Session]
	logger  *slog.Logger
	// byName and byIP limit failed sign-ins (SetSignInLimits).
	byName, byIP *ratelimit.Limiter
}

// SignInLimits bound failed admin sign-ins per username and per client
// address (BACKEND_ADMIN_SIGNIN_*): a burst, then one more attempt every
// interval. Successful sign-ins do not count.
type SignInLimits struct {
	UsernameEvery time.Duration
	UsernameBurst int
	IPEvery       time.Duration
	IPBurst       int
}

// DefaultSignInLimits are the limits New starts with, the configuration's
// defaults.
var DefaultSignInLimits = SignInLimits{UsernameEvery: time.Minute, UsernameBurst: 10, IPEvery: 30 * time.Second, IPBurst: 20}

// New builds the service, with DefaultSignInLimits.
func New(db *postgres.DB, users *user.Service, authSvc *auth.Service, push Publisher, cascade BlockCascade,
	sessionTTL time.Duration, listener *pgnotify.Listener, logger *slog.Logger) *Service {
	s := &Service{db: db, users: users, auth: authSvc, push: push, cascade: cascade, ttl: sessionTTL,
		logger: logger.With("module", "admin")}
	s.SetSignInLimits(DefaultSignInLimits)
	s.cache = tokencache.New("cache:admin", tokencache.Source[Session]{
		LoadLive: func(ctx context.Context, after string, limit int) ([]Session, error) {
			rows, err := adminstore.New(db.Pool).ListActiveAdminSessionsPage(ctx, adminstore.ListActiveAdminSessionsPageParams{
				AfterID: after, MaxRows: int32(limit),
			})
			return rows, postgres.Translate(err)
		},
		Fetch: func(ctx context.Context, hash []byte) (Session, bool, error) {
			ctx, cancel := db.WithTimeout(ctx)
			defer cancel()
			sess, err := adminstore.New(db.Pool).GetAdminSessionByHash(ctx, hash)
			if postgres.IsNoRows(err) {
				return Session{}, false, nil
			}
			return sess, err == nil, postgres.Translate(err)
		},
		Hash:    func(s Session) []byte { return s.TokenHash },
		ID:      func(s Session) string { return s.SessionID },
		Live:    func(s Session) bool { return s.RevokedAt == nil },
		Expires: func(s Session) time.Time { return s.ExpiresAt },
	})
	listener.Handle(notifyKind, s.cache.Invalidate)
	listener.OnResync(s.cache.Warm)
	return s
}

// Cache returns the admin session cache (a lifecycle component with Ready).
func (s *Service) Cache() *tokencache.Cache[Session] { return s.cache }

// Errors.
var (
	ErrBadCredentials  = errs.E(errs.Unauthenticated, "wrong username or password")
	errUnauthenticated = errs.E(errs.Unauthenticated, "invalid or expired admin token")
)

// CreateAdmin adds an operator account. With replace, an existing account
// of that name gets the new password (used by `galaxy dev`). It needs only
// the database, so `galaxy admin create` can run it without a whole backend.
func CreateAdmin(ctx context.Context, db *postgres.DB, username, password string, replace bool) error {
	username = strings.TrimSpace(username)
	if username == "" || len(username) > 64 {
		return errs.E(errs.InvalidArgument, "username must be 1 to 64 characters")
	}
	if len(password) < MinPasswordLength {
		return errs.E(errs.InvalidArgument, "the password must be at least %d characters", MinPasswordLength)
	}
	hash := HashPassword(password)
	return db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := adminstore.New(tx)
		p := adminstore.InsertAdminParams{AdminID: ids.New("adm_"), Username: username, PasswordHash: hash}
		var a adminstore.Admin
		var err error
		if replace {
			a, err = q.UpsertAdmin(ctx, adminstore.UpsertAdminParams(p))
		} else {
			a, err = q.InsertAdmin(ctx, p)
			if _, dup := postgres.UniqueViolation(err); dup {
				return errs.E(errs.Conflict, "an admin named %q exists already", username)
			}
		}
		if err != nil {
			return err
		}
		return audit(ctx, q, a.AdminID, "admin.create", "admin", a.AdminID, map[string]any{"username": username})
	})
}

// SetSignInLimits sets the limits of failed sign-ins; call it before the
// service serves (it forgets the attempts counted so far).
func (s *Service) SetSignInLimits(l SignInLimits) {
	s.byName = ratelimit.New(l.UsernameEvery, l.UsernameBurst)
	s.byIP = ratelimit.New(l.IPEvery, l.IPBurst)
}

// SignIn is SignInFrom for a caller with no client address (only the
// per-username limit applies).
func (s *Service) SignIn(ctx context.Context, username, password string) (token string, expires time.Time, err error) {
	return s.SignInFrom(ctx, username, password, netip.Addr{})
}

// Audit actions of sign-in failures (admin_audit_log.action; the actor is
// unknown, so admin_id is NULL).
const (
	// AuditSignInFailed is a wrong username or password; details name the
	// username tried, the client_ip and the reason (unknown_username,
	// wrong_password); target_id is the admin's id when the username exists.
	AuditSignInFailed = "admin.sign_in.failed"
	// AuditSignInRefused is the first attempt refused by a limit since that
	// username or client was last let through (the start of a lock-out;
	// further refusals are only logged); details name the limit
	// (username, client) and retry_after_seconds.
	AuditSignInRefused = "admin.sign_in.refused"
)

// SignInFrom checks an operator's password and opens an admin session, for
// a client at ip (an invalid ip: no per-address limit). Failed attempts are
// limited per username and per client address: past either limit every
// attempt, right password or not, is refused with errs.RateLimited (and a
// Retry-After) before any check. Every failure is audited.
//
// Errors: ErrBadCredentials; errs.RateLimited.
func (s *Service) SignInFrom(ctx context.Context, username, password string, ip netip.Addr) (token string, expires time.Time, err error) {
	name, client := clip(username, maxUsernameKey), ""
	byIP := ratelimit.Decision{Allowed: true}
	if ip.IsValid() {
		client = ip.Unmap().String()
		byIP = s.byIP.Take(client)
	}
	if !byIP.Allowed {
		s.signInRefused(ctx, name, client, "client", byIP)
		return "", time.Time{}, byIP.Err("failed sign-ins from this client")
	}
	byName := s.byName.Take(strings.ToLower(strings.TrimSpace(name)))
	if !byName.Allowed {
		s.signInRefused(ctx, name, client, "username", byName)
		return "", time.Time{}, byName.Err("failed sign-ins for this username")
	}
	token, expires, adminID, reason, err := s.signIn(ctx, username, password)
	if reason == "" {
		// Signed in, or a failure that is not the caller's (the database):
		// neither counts against the limits.
		byIP.Return()
		byName.Return()
		return token, expires, err
	}
	s.logger.WarnContext(ctx, "admin sign-in failed", "username", name, "client_ip", client, "reason", reason)
	if aerr := s.Audit(context.WithoutCancel(ctx), "", AuditSignInFailed, "admin", adminID, map[string]any{
		"username": name, "client_ip": client, "reason": reason,
	}); aerr != nil {
		s.logger.ErrorContext(ctx, "admin sign-in failure not audited", "username", name, "error", aerr)
	}
	return "", time.Time{}, err
}

// maxUsernameKey bounds the username an attempt is counted and audited
// under: no account name is longer (CreateAdmin), and a caller must not
// make the limiter or the audit log store megabytes.
const maxUsernameKey = 64

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// signInRefused logs a refused attempt and audits the first of a lock-out.
func (s *Service) signInRefused(ctx context.Context, name, client, limit string, d ratelimit.Decision) {
	secs := int(d.RetryAfter.Round(time.Second) / time.Second)
	s.logger.WarnContext(ctx, "admin sign-in refused", "username", name, "client_ip", client, "limit", limit,
		"retry_after_seconds", secs)
	if !d.FirstRefusal {
		return
	}
	if err := s.Audit(context.WithoutCancel(ctx), "", AuditSignInRefused, "admin", "", map[string]any{
		"username": name, "client_ip": client, "limit": limit, "retry_after_seconds": secs,
	}); err != nil {
		s.logger.ErrorContext(ctx, "admin sign-in refusal not audited", "username", name, "error", err)
	}
}

// signIn checks the password and opens the session. A wrong username or
// password answers ErrBadCredentials with the reason (unknown_username,
// wrong_password) and, for an existing username, the admin's id.
func (s *Service) signIn(ctx context.Context, username, password string) (token string, expires time.Time, adminID, reason string, err error) {
	var sess Session
	err = s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := adminstore.New(tx)
		a, err := q.GetAdminByUsername(ctx, username)
		if postgres.IsNoRows(err) {
			// Spend the same time as a real check, so timing tells nothing.
			_, _ = VerifyPassword(dummyHash, password)
			reason = "unknown_username"
			return ErrBadCredentials
		}
		if err != nil {
			return err
		}
		ok, err := VerifyPassword(a.PasswordHash, password)
		if err != nil {
			return err
		}
		if !ok {
			adminID, reason = a.AdminID, "wrong_password"
			return ErrBadCredentials
		}
		var hash []byte
		token, hash = auth.NewToken(auth.AdminTokenPrefix)
		sess, err = q.InsertAdminSession(ctx, adminstore.InsertAdminSessionParams{
			SessionID: ids.New("ads_"), AdminID: a.AdminID, TokenHash: hash, ExpiresAt: time.Now().Add(s.ttl),
		})
		if err != nil {
			return err
		}
		return audit(ctx, q, a.AdminID, "admin.sign_in", "admin", a.AdminID, nil)
	})
	if err != nil {
		return "", time.Time{}, adminID, reason, err
	}
	s.cache.Put(sess)
	return token, sess.ExpiresAt, "", "", nil
}

// dummyHash is verified against when the username is unknown.
var dummyHash = HashPassword("not a real password, only for timing")

// Authenticate resolves an admin bearer token. User tokens never pass.
func (s *Service) Authenticate(ctx context.Context, token string) (authctx.Admin, error) {
	if !strings.HasPrefix(token, auth.AdminTokenPrefix) {
		return authctx.Admin{}, errUnauthenticated
	}
	sess, ok, err := s.cache.Lookup(ctx, auth.HashToken(token))
	if err != nil {
		return authctx.Admin{}, err
	}
	if !ok || sess.RevokedAt != nil || time.Now().After(sess.ExpiresAt) {
		return authctx.Admin{}, errUnauthenticated
	}
	return authctx.Admin{AdminID: sess.AdminID, SessionID: sess.SessionID}, nil
}

// Block blocks a user. A temporary block refuses sign-in and requests until
// Unblock; a permanent one also revokes every session at once (pushing
// auth.session.revoked) and starts the lobby cascade.
func (s *Service) Block(ctx context.Context, adminID, userID, reason string, permanent bool) (user.User, error) {
	status := user.StatusBlocked
	if permanent {
		status = user.StatusBlockedPermanently
	}
	var (
		u       user.User
		revoked []auth.Session
	)
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) (err error) {
		if u, err = s.users.SetStatusTx(ctx, tx, userID, status, reason); err != nil {
			return err
		}
		if err := outbox.Publish(ctx, tx, outbox.UserBlocked{UserID: userID, Permanent: permanent, Reason: reason,
			BlockedBy: adminID, BlockedAt: time.Now()}); err != nil {
			return err
		}
		if !permanent {
			return nil
		}
		if revoked, err = s.auth.RevokeAllTx(ctx, tx, userID, "blocked"); err != nil {
			return err
		}
		return s.cascade.OnUserBlockedPermanentlyTx(ctx, tx, userID)
	})
	if err != nil {
		return user.User{}, err
	}
	s.users.AfterWrite(u)
	s.auth.AfterRevokeAll(revoked)
	if permanent {
		ids := make([]string, len(revoked))
		for i, r := range revoked {
			ids[i] = r.SessionID
		}
		s.push.PublishToUsers([]string{userID}, "auth.session.revoked", map[string]any{
			"user_id": userID, "session_ids": ids, "reason": "blocked",
		})
	}
	s.logger.InfoContext(ctx, "user blocked", "user_id", userID, "permanent", permanent, "admin_id", adminID,
		"sessions_revoked", len(revoked))
	return u, nil
}

// Unblock restores an account: its owner can sign in again.
func (s *Service) Unblock(ctx context.Context, adminID, userID string) (user.User, error) {
	var u user.User
	err := s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) (err error) {
		if u, err = s.users.SetStatusTx(ctx, tx, userID, user.StatusActive, ""); err != nil {
			return err
		}
		return outbox.Publish(ctx, tx, outbox.UserUnblocked{UserID: userID, UnblockedBy: adminID, UnblockedAt: time.Now()})
	})
	if err != nil {
		return user.User{}, err
	}
	s.users.AfterWrite(u)
	s.logger.InfoContext(ctx, "user unblocked", "user_id", userID, "admin_id", adminID)
	return u, nil
}

// Audit records one admin action outside any other transaction.
func (s *Service) Audit(ctx context.Context, adminID, action, targetType, targetID string, details any) error {
	return s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		return audit(ctx, adminstore.New(tx), adminID, action, targetType, targetID, details)
	})
}

func audit(ctx context.Context, q *adminstore.Queries, adminID, action, targetType, targetID string, details any) error {
	raw := []byte("{}")
	if details != nil {
		var err error
		if raw, err = json.Marshal(details); err != nil {
			return err
		}
	}
	var who *string
	if adminID != "" {
		who = &adminID
	}
	return q.InsertAudit(ctx, adminstore.InsertAuditParams{
		AdminID: who, Action: action, TargetType: targetType, TargetID: targetID, Details: raw,
	})
}
