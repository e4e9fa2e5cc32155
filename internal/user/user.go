// Package user owns player accounts: profile (display name, time zone,
// country), status (active, blocked, blocked_permanently) and last activity,
// behind a write-through cache that every replica keeps correct through
// LISTEN/NOTIFY.
package user

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/galaxy-platform/galaxy/internal/ids"
	"github.com/galaxy-platform/galaxy/internal/outbox"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/user/userstore"
)

// User is a player account.
type User = userstore.User

// Statuses of an account.
const (
	StatusActive             = "active"
	StatusBlocked            = "blocked"
	StatusBlockedPermanently = "blocked_permanently"
)

// notifyKind names user changes on the cache channel.
const notifyKind = "user"

// ErrNotFound is returned for an unknown user id.
var ErrNotFound = errs.E(errs.NotFound, "no such user")

// Service is the user module.
type Service struct {
	db     *postgres.DB
	cache  *Cache
	logger *slog.Logger
}

// New returns the service; its cache is warmed by the component Cache
// returns and kept in sync through listener.
func New(db *postgres.DB, listener *pgnotify.Listener, logger *slog.Logger) *Service {
	s := &Service{db: db, logger: logger.With("module", "user")}
	s.cache = newCache(db)
	listener.Handle(notifyKind, s.cache.invalidate)
	listener.OnResync(s.cache.warm)
	return s
}

// Cache returns the cache as a lifecycle component (Start warms it) with a
// Ready method for /readyz.
func (s *Service) Cache() *Cache { return s.cache }

// Get returns a user, from the cache when it holds it.
func (s *Service) Get(ctx context.Context, id string) (User, error) {
	return s.cache.get(ctx, id)
}

// FindOrCreateByEmailTx returns the user with this email, creating it on
// first sign-in (display name from the address, country from geo). created
// tells which. Call AfterWrite with the user once tx has committed.
func (s *Service) FindOrCreateByEmailTx(ctx context.Context, tx pgx.Tx, email, country string) (User, bool, error) {
	q := userstore.New(tx)
	u, err := q.InsertUser(ctx, userstore.InsertUserParams{
		UserID: ids.New("usr_"), Email: email, DisplayName: defaultDisplayName(email), Country: country,
	})
	if err == nil {
		if err := outbox.Publish(ctx, tx, outbox.UserRegistered{UserID: u.UserID, DisplayName: u.DisplayName,
			Timezone: u.Timezone, Country: u.Country, RegisteredAt: u.CreatedAt}); err != nil {
			return User{}, false, err
		}
		return u, true, pgnotify.Notify(ctx, tx, notifyKind, u.UserID)
	}
	if !postgres.IsNoRows(err) {
		return User{}, false, err
	}
	// The address exists (ON CONFLICT DO NOTHING returned no row).
	u, err = q.GetUserByEmail(ctx, email)
	return u, false, err
}

// AfterWrite puts a committed user into this replica's cache.
func (s *Service) AfterWrite(u User) { s.cache.put(u) }

// Profile is a change to a user's own profile; nil fields stay as they are.
type Profile struct {
	DisplayName *string
	Timezone    *string
}

// UpdateProfile validates and saves a profile change.
func (s *Service) UpdateProfile(ctx context.Context, id string, p Profile) (User, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return User{}, err
	}
	name, tz := cur.DisplayName, cur.Timezone
	var problems []string
	if p.DisplayName != nil {
		name = strings.TrimSpace(*p.DisplayName)
		if n := utf8.RuneCountInString(name); n < 1 || n > 64 {
			problems = append(problems, "display_name must be 1 to 64 characters")
		}
		// A NUL byte or invalid UTF-8 would fail in PostgreSQL as an
		// internal error; line breaks and other control characters have no
		// place in a name shown in pages and mails.
		if !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0 {
			problems = append(problems, "display_name must be valid text without control characters")
		}
	}
	if p.Timezone != nil {
		tz = *p.Timezone
		if _, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
			problems = append(problems, fmt.Sprintf("timezone %q is not an IANA time zone (e.g. Europe/Berlin)", tz))
		}
	}
	if len(problems) > 0 {
		return User{}, errs.E(errs.InvalidArgument, "%s", strings.Join(problems, "; ")).WithDetail("problems", problems)
	}
	var u User
	err = s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		u, err = userstore.New(tx).UpdateProfile(ctx, userstore.UpdateProfileParams{UserID: id, DisplayName: name, Timezone: tz})
		if err != nil {
			return err
		}
		return pgnotify.Notify(ctx, tx, notifyKind, id)
	})
	if err != nil {
		return User{}, err
	}
	s.cache.put(u)
	return u, nil
}

// SetStatusTx changes a user's status inside tx (block, unblock) and queues
// the cache invalidation. Call AfterWrite once tx has committed.
func (s *Service) SetStatusTx(ctx context.Context, tx pgx.Tx, id, status, reason string) (User, error) {
	var r *string
	if reason != "" {
		r = &reason
	}
	u, err := userstore.New(tx).SetStatus(ctx, userstore.SetStatusParams{UserID: id, Status: status, BlockReason: r})
	if postgres.IsNoRows(err) {
		return User{}, ErrNotFound.WithDetail("user_id", id)
	}
	if err != nil {
		return User{}, err
	}
	return u, pgnotify.Notify(ctx, tx, notifyKind, id)
}

// Touch records activity at most once a minute per user, from the cache's
// point of view, so authenticated reads stay free of writes.
func (s *Service) Touch(ctx context.Context, u User) {
	if u.LastSeenAt != nil && time.Since(*u.LastSeenAt) < time.Minute {
		return
	}
	now := time.Now()
	u.LastSeenAt = &now
	s.cache.put(u)
	ctx, cancel := s.db.WithTimeout(context.WithoutCancel(ctx))
	defer cancel()
	if err := userstore.New(s.db.Pool).TouchLastSeen(ctx, u.UserID); err != nil {
		s.logger.WarnContext(ctx, "recording last activity failed", "user_id", u.UserID, "error", err)
	}
}

// Search lists users whose id, email or display name matches query, newest
// first.
func (s *Service) Search(ctx context.Context, query string, limit int, after *httpx.Cursor) ([]User, *httpx.Cursor, error) {
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	p := userstore.SearchUsersParams{Query: strings.TrimSpace(query), MaxRows: int32(limit + 1)}
	if after != nil {
		p.BeforeCreated, p.BeforeID = &after.At, &after.ID
	}
	rows, err := userstore.New(s.db.Pool).SearchUsers(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	var next *httpx.Cursor
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		next = &httpx.Cursor{At: last.CreatedAt, ID: last.UserID}
	}
	return rows, next, nil
}

// defaultDisplayName is the address's local part: recognisable to its owner,
// and changeable with PATCH /user/me.
func defaultDisplayName(email string) string {
	local, _, _ := strings.Cut(email, "@")
	if utf8.RuneCountInString(local) > 64 {
		local = string([]rune(local)[:64])
	}
	if local == "" {
		return "player"
	}
	return local
}
