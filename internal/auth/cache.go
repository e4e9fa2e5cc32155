package auth

import (
	"context"
	"time"

	"github.com/galaxy-platform/galaxy/internal/auth/authstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/tokencache"
)

// Session is a stored user session.
type Session = authstore.Session

// SessionCache is the token-hash cache of user sessions.
type SessionCache = tokencache.Cache[Session]

func newSessionCache(db *postgres.DB) *SessionCache {
	return tokencache.New("cache:auth", tokencache.Source[Session]{
		LoadLive: func(ctx context.Context, after string, limit int) ([]Session, error) {
			rows, err := authstore.New(db.Pool).ListActiveSessionsPage(ctx, authstore.ListActiveSessionsPageParams{
				AfterID: after, MaxRows: int32(limit),
			})
			return rows, postgres.Translate(err)
		},
		Fetch: func(ctx context.Context, hash []byte) (Session, bool, error) {
			ctx, cancel := db.WithTimeout(ctx)
			defer cancel()
			s, err := authstore.New(db.Pool).GetSessionByHash(ctx, hash)
			if postgres.IsNoRows(err) {
				return Session{}, false, nil
			}
			return s, err == nil, postgres.Translate(err)
		},
		Hash:    func(s Session) []byte { return s.TokenHash },
		ID:      func(s Session) string { return s.SessionID },
		Live:    func(s Session) bool { return s.RevokedAt == nil },
		Expires: func(s Session) time.Time { return s.ExpiresAt },
	})
}
