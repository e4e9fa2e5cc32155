package session

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// Identity is the user and session behind a token.
type Identity struct {
	UserID    string
	SessionID string
}

// Resolver turns tokens into identities with the backend's
// POST /api/v1/internal/sessions/resolve, remembering answers for a short
// while: an event stream reconnecting every few seconds must not cost a
// backend call each time, and a revoked session is closed by its own
// auth.session.revoked event anyway.
type Resolver struct {
	api   *apiclient.ClientWithResponses
	token string // the backend's internal token
	ttl   time.Duration

	mu    sync.Mutex
	cache map[[sha256.Size]byte]cached
}

type cached struct {
	id      Identity
	expires time.Time
}

// maxCached bounds the cache; past it, the cache starts afresh.
const maxCached = 100_000

// NewResolver resolves through api with the internal token, caching for ttl.
func NewResolver(api *apiclient.ClientWithResponses, internalToken string, ttl time.Duration) *Resolver {
	return &Resolver{api: api, token: internalToken, ttl: ttl, cache: map[[sha256.Size]byte]cached{}}
}

// Resolve returns the identity of token; ok is false for an unknown,
// expired or revoked session. err is set only when the backend could not
// answer.
func (r *Resolver) Resolve(ctx context.Context, token string) (id Identity, ok bool, err error) {
	key := sha256.Sum256([]byte(token))
	now := time.Now()
	r.mu.Lock()
	c, hit := r.cache[key]
	r.mu.Unlock()
	if hit && now.Before(c.expires) {
		return c.id, true, nil
	}
	resp, err := r.api.ResolveSessionWithResponse(ctx, apiclient.ResolveSessionJSONRequestBody{Token: token},
		func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+r.token)
			return nil
		})
	if err != nil {
		return Identity{}, false, fmt.Errorf("resolve session: %w", err)
	}
	switch {
	case resp.JSON200 != nil:
		id = Identity{UserID: resp.JSON200.UserId, SessionID: resp.JSON200.SessionId}
	case resp.StatusCode() == http.StatusUnauthorized:
		r.forget(key)
		return Identity{}, false, nil
	default:
		return Identity{}, false, fmt.Errorf("resolve session: backend answered %d", resp.StatusCode())
	}
	r.mu.Lock()
	if len(r.cache) >= maxCached {
		r.cache = map[[sha256.Size]byte]cached{}
	}
	r.cache[key] = cached{id: id, expires: now.Add(r.ttl)}
	r.mu.Unlock()
	return id, true, nil
}

// Forget drops a cached token (after sign-out).
func (r *Resolver) Forget(token string) { r.forget(sha256.Sum256([]byte(token))) }

func (r *Resolver) forget(key [sha256.Size]byte) {
	r.mu.Lock()
	delete(r.cache, key)
	r.mu.Unlock()
}
