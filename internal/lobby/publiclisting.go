package lobby

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// publicListingKind is the cache notification that triggers on games and
// memberships send for every change (migration 00018).
const publicListingKind = "lobby_public"

// Reload pacing: a burst of changes (a turn touches many games) costs one
// reload, and a missed notification is made good within a minute.
const (
	publicListingSettle  = 50 * time.Millisecond
	publicListingRefresh = time.Minute
)

// PublicListing serves GET /public/games from memory: the listing is the
// busiest anonymous read, the same for everyone, and small (the public games
// open for enrollment or looking for substitutes). It holds the whole
// listing as the API returns it, newest first, and reloads it when the
// database says games or memberships changed, on any replica. It is
// eventually consistent: a change shows within tens of milliseconds. Before
// its first load (and if it is not started) the handler reads the database.
type PublicListing struct {
	svc    *Service
	logger *slog.Logger

	mu    sync.RWMutex
	items []apigen.Game // newest first, as ListPublicGames orders them
	// encoded holds every item as JSON, encoded once per load, each
	// followed by a comma, one after the other: items[i] is
	// encoded[offsets[i]:offsets[i+1]-1], and a page of them is one slice.
	encoded []byte
	offsets []int
	ready   atomic.Bool

	kick   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// NewPublicListing returns the listing of svc's public games, kept fresh by
// listener's notifications. Start it with the other caches.
func NewPublicListing(svc *Service, listener *pgnotify.Listener, logger *slog.Logger) *PublicListing {
	l := &PublicListing{svc: svc, logger: logger.With("cache", "public_games"), kick: make(chan struct{}, 1)}
	listener.Handle(publicListingKind, func(string) { l.changed() })
	listener.OnResync(func(context.Context) error { l.changed(); return nil })
	return l
}

// Name implements lifecycle.Component.
func (l *PublicListing) Name() string { return "cache:public_games" }

// Ready reports whether the listing has been loaded.
func (l *PublicListing) Ready() bool { return l.ready.Load() }

// Start loads the listing, then keeps it fresh in the background.
func (l *PublicListing) Start(ctx context.Context) error {
	if err := l.load(ctx); err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l.cancel, l.done = cancel, make(chan struct{})
	go l.run(runCtx)
	return nil
}

// Stop ends the background reloads.
func (l *PublicListing) Stop(ctx context.Context) error {
	if l.cancel == nil {
		return nil
	}
	l.cancel()
	select {
	case <-l.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// changed asks for a reload; many requests before it runs make one.
func (l *PublicListing) changed() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// run reloads after each change (once the burst settles) and every
// publicListingRefresh.
func (l *PublicListing) run(ctx context.Context) {
	defer close(l.done)
	tick := time.NewTicker(publicListingRefresh)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.kick:
			select {
			case <-ctx.Done():
				return
			case <-time.After(publicListingSettle):
			}
		case <-tick.C:
		}
		if err := l.load(ctx); err != nil && ctx.Err() == nil {
			// The listing stays as it was; the next change or tick retries.
			l.logger.WarnContext(ctx, "public game listing not reloaded", "error", err)
		}
	}
}

// load reads the whole listing and swaps it in.
func (l *PublicListing) load(ctx context.Context) error {
	ctx, cancel := l.svc.db.WithTimeout(ctx)
	defer cancel()
	rows, err := lobbystore.New(l.svc.db.Pool).ListPublicGames(ctx, lobbystore.ListPublicGamesParams{})
	if err != nil {
		return postgres.Translate(err)
	}
	ids := make([]string, len(rows))
	for i, g := range rows {
		ids[i] = g.GameID
	}
	wanted, err := l.svc.SubstitutesWanted(ctx, ids...)
	if err != nil {
		return err
	}
	items, offsets := make([]apigen.Game, len(rows)), make([]int, len(rows)+1)
	var encoded []byte
	for i, g := range rows {
		items[i] = GameJSON(g, wanted[g.GameID])
		b, err := json.Marshal(items[i])
		if err != nil {
			return err
		}
		encoded = append(append(encoded, b...), ',')
		offsets[i+1] = len(encoded)
	}
	l.mu.Lock()
	l.items, l.encoded, l.offsets = items, encoded, offsets
	l.mu.Unlock()
	l.ready.Store(true)
	return nil
}

// Page returns up to limit games after the cursor, and the cursor of the
// next page (nil on the last one), exactly as the database listing pages.
func (l *PublicListing) Page(limit int, after *httpx.Cursor) (apigen.GameList, *httpx.Cursor) {
	l.mu.RLock()
	items := l.items
	l.mu.RUnlock()
	start, end, next := pageBounds(items, limit, after)
	return apigen.GameList{Items: items[start:end:end]}, next
}

// WritePage writes the page Page would return as the API's JSON, from the
// games encoded at load: the listing's requests cost no reflection.
func (l *PublicListing) WritePage(w http.ResponseWriter, limit int, after *httpx.Cursor) {
	l.mu.RLock()
	items, encoded, offsets := l.items, l.encoded, l.offsets
	l.mu.RUnlock()
	start, end, next := pageBounds(items, limit, after)
	var page []byte
	if end > start {
		page = encoded[offsets[start] : offsets[end]-1] // without the last comma
	}
	tail := "]}\n"
	if next != nil {
		c, _ := json.Marshal(next.Encode())
		tail = `],"next_cursor":` + string(c) + "}\n"
	}
	const head = `{"items":[`
	// The page goes out as it is stored, one slice, with no copy; a known
	// length also spares net/http the chunked encoding of a page of tens of
	// kilobytes.
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(head)+len(page)+len(tail)))
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, head)
	_, _ = w.Write(page)
	_, _ = io.WriteString(w, tail)
}

// pageBounds finds the page of limit games after the cursor in items, and
// the next page's cursor.
func pageBounds(items []apigen.Game, limit int, after *httpx.Cursor) (start, end int, next *httpx.Cursor) {
	if after != nil {
		// The first game older than the cursor: (created_at, game_id) below it.
		start = sort.Search(len(items), func(i int) bool {
			g := items[i]
			return g.CreatedAt.Before(after.At) || (g.CreatedAt.Equal(after.At) && g.GameId < after.ID)
		})
	}
	end = min(start+limit, len(items))
	if end < len(items) && end > start {
		last := items[end-1]
		next = &httpx.Cursor{At: last.CreatedAt, ID: last.GameId}
	}
	return start, end, next
}
