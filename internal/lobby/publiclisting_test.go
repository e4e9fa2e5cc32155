package lobby_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/pgnotify"
)

// TestPublicListingFollowsTheDatabase pages the in-memory public listing
// and the database's side by side, then changes games and memberships and
// waits for the listing to follow.
func TestPublicListingFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, pool := newService(t)
	addUser(t, pool, "owner")
	// 23 public games open for enrollment, 7 private ones; some share a
	// creation time so that paging needs the id too.
	if _, err := pool.Exec(ctx, `
		INSERT INTO games (game_id, name, visibility, owner_user_id, status, min_players, max_players,
		                   enrollment_ends_at, turn_schedule, seed, created_at)
		SELECT 'gam_pl_' || lpad(i::text, 3, '0'), 'Game ' || i, CASE WHEN i % 4 = 0 THEN 'private' ELSE 'public' END,
		       'owner', 'enrollment_open', 2, 8, now() + interval '1 day', '0 18 * * *', i,
		       timestamptz '2026-12-01 12:00:00+00' - (i / 3) * interval '1 second'
		FROM generate_series(1, 30) AS i`); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	listener := pgnotify.NewListener(pool, quiet)
	listing := lobby.NewPublicListing(s, listener, quiet)
	for _, c := range []interface {
		Start(context.Context) error
		Stop(context.Context) error
	}{listener, listing} {
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Stop(context.Background()) })
	}
	if !listing.Ready() {
		t.Fatal("not ready after Start")
	}

	// pages lists every page of both, 4 games at a time.
	pages := func() (mem, db [][]string) {
		var after *httpx.Cursor
		for {
			out, next := listing.Page(4, after)
			// The bytes the handler writes say the same.
			rec := httptest.NewRecorder()
			listing.WritePage(rec, 4, after)
			var written apigen.GameList
			if err := json.Unmarshal(rec.Body.Bytes(), &written); err != nil {
				t.Fatal(err)
			}
			if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(rec.Body.Len()) {
				t.Fatalf("Content-Length %s for %d bytes", cl, rec.Body.Len())
			}
			if next != nil {
				c := next.Encode()
				out.NextCursor = &c
			}
			if !reflect.DeepEqual(written, out) {
				t.Fatalf("written page %+v\nwant %+v", written, out)
			}
			var ids []string
			for _, g := range out.Items {
				ids = append(ids, g.GameId)
			}
			mem = append(mem, ids)
			if next == nil {
				break
			}
			after = next
		}
		after = nil
		for {
			p, err := s.ListPublic(ctx, 4, after)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, g := range p.Games {
				ids = append(ids, g.GameID)
			}
			db = append(db, ids)
			if p.Next == nil {
				break
			}
			after = p.Next
		}
		return mem, db
	}
	mem, db := pages()
	if len(mem) != 6 || fmt.Sprint(mem) != fmt.Sprint(db) {
		t.Fatalf("memory pages %v\ndatabase pages %v", mem, db)
	}
	// A cursor older than every game: an empty page.
	rec := httptest.NewRecorder()
	listing.WritePage(rec, 4, &httpx.Cursor{At: time.Unix(0, 0), ID: ""})
	if got := rec.Body.String(); got != "{\"items\":[]}\n" || rec.Header().Get("Content-Length") != strconv.Itoa(len(got)) {
		t.Fatalf("past the last game: %q, Content-Length %s", got, rec.Header().Get("Content-Length"))
	}

	// A new public game, and one going private: the listing follows.
	g := newGame(t, s, "owner", 2, 4)
	if _, err := pool.Exec(ctx, `UPDATE games SET visibility = 'private' WHERE game_id = 'gam_pl_001'`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mem, db = pages()
		all := slices.Concat(mem...)
		if fmt.Sprint(mem) == fmt.Sprint(db) && slices.Contains(all, g.GameID) && !slices.Contains(all, "gam_pl_001") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the listing did not follow: memory %v\ndatabase %v", mem, db)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A running game whose race looks for a substitute joins the listing
	// through its membership.
	addUser(t, pool, "p1")
	if _, err := pool.Exec(ctx, `UPDATE games SET status = 'running' WHERE game_id = 'gam_pl_002';
		INSERT INTO memberships (game_id, user_id, race_id, race_name, status, substitute_wanted)
		VALUES ('gam_pl_002', 'p1', 'p1', 'Sleepers', 'active', true)`); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for {
		out, _ := listing.Page(100, nil)
		if slices.ContainsFunc(out.Items, func(it apigen.Game) bool {
			return it.GameId == "gam_pl_002" && it.Status == "running" && it.SubstitutesWanted != nil && slices.Equal(*it.SubstitutesWanted, []string{"Sleepers"})
		}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the running game looking for a substitute is not listed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
