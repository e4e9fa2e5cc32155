package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// listPage is one page of any list endpoint.
type listPage struct {
	Items      []json.RawMessage `json:"items"`
	NextCursor *string           `json:"next_cursor"`
}

// TestEveryListPages walks every list endpoint of the spec (an operation
// whose 200 answer has items and next_cursor) with the contract's paging:
// each declares limit and cursor, a limit outside 1..200 and a foreign
// cursor are refused, and walking one item at a time gives exactly the list
// a single page gives, in the same order, with no duplicates or gaps, even
// when rows are added during the walk.
func TestEveryListPages(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.Auth.IPBurst = 100
	r := startApp(t, cfg)
	sp := readSpec(t)
	admin := r.adminToken(t)

	// A player with at least three of everything a list can hold.
	frank := r.signIn(t, "frank@example.com")
	for range 2 {
		r.signIn(t, "frank@example.com") // sessions
	}
	others := make([]signedIn, 3)
	for i := range others {
		others[i] = r.signIn(t, fmt.Sprintf("other%d@example.com", i))
	}
	create := func(tok, visibility string) string {
		var g gameJSON
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", tok, newGameBody(visibility), &g); code != http.StatusCreated {
			t.Fatalf("create: %d", code)
		}
		return g.GameID
	}
	games := []string{create(frank.Token, "public"), create(frank.Token, "public"), create(frank.Token, "public")}
	private := create(frank.Token, "private")
	apply := func(tok, gameID, race string) string {
		var a appJSON
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+gameID+"/applications", tok, map[string]string{"race_name": race}, &a); code != http.StatusCreated {
			t.Fatalf("apply %s: %d", race, code)
		}
		return a.ApplicationID
	}
	for i, o := range others {
		apply(o.Token, games[0], fmt.Sprintf("Other%d", i))
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+private+"/invites", frank.Token, map[string]string{"user_id": o.User.UserID}, nil); code != http.StatusCreated {
			t.Fatalf("invite: %d", code)
		}
		theirs := create(o.Token, "private")
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+theirs+"/invites", o.Token, map[string]string{"user_id": frank.User.UserID}, nil); code != http.StatusCreated {
			t.Fatalf("invite frank: %d", code)
		}
	}
	for i, g := range games {
		a := apply(frank.Token, g, fmt.Sprintf("Franks%d", i))
		if g == games[0] {
			r.call(t, http.MethodPost, "/api/v1/user/games/"+g+"/applications/"+a+"/approve", frank.Token, nil, nil)
		}
	}
	var apps listPage
	r.call(t, http.MethodGet, "/api/v1/user/games/"+games[0]+"/applications", frank.Token, nil, &apps)
	for _, raw := range apps.Items[:2] {
		var a appJSON
		_ = json.Unmarshal(raw, &a)
		r.call(t, http.MethodPost, "/api/v1/user/games/"+games[0]+"/applications/"+a.ApplicationID+"/approve", frank.Token, nil, nil)
	}
	r.call(t, http.MethodPost, "/api/v1/user/games/"+games[0]+"/close-enrollment", frank.Token, nil, nil)
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+games[0]+"/start", frank.Token, nil, nil); code != http.StatusAccepted {
		t.Fatalf("start: %d", code)
	}
	waitRunning(t, r, admin, games[0])
	for range 3 {
		if a := r.raw(t, http.MethodPost, "/api/v1/admin/games/"+games[0]+"/force-next-turn", admin, nil); a.status != http.StatusOK {
			t.Fatalf("force-next-turn: %d %s %q", a.status, a.code, a.msg)
		}
	}

	tokenFor := func(path string) string {
		switch {
		case strings.HasPrefix(path, "/api/v1/user/"):
			return frank.Token
		case strings.HasPrefix(path, "/api/v1/admin/"):
			return admin
		case strings.HasPrefix(path, "/api/v1/internal/"):
			return r.cfg.InternalToken
		}
		return ""
	}
	gameFor := map[string]string{"listGameInvites": private}
	walked := 0
	for _, op := range sp.ops {
		if op.Method != http.MethodGet || !sp.isList(op) {
			continue
		}
		walked++
		t.Run(op.Path, func(t *testing.T) {
			names := make([]string, 0, len(op.Params))
			for _, p := range op.Params {
				names = append(names, p.Name)
			}
			if !slices.Contains(names, "limit") || !slices.Contains(names, "cursor") {
				t.Fatalf("the spec gives %s no limit and cursor (has %v)", op.Path, names)
			}
			path := strings.ReplaceAll(op.Path, "{game_id}", games[0])
			if strings.HasSuffix(op.Path, "/invites") && strings.Contains(op.Path, "{game_id}") {
				path = strings.ReplaceAll(op.Path, "{game_id}", gameFor["listGameInvites"])
			}
			tok := tokenFor(op.Path)
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			for _, bad := range []string{"limit=0", "limit=201", "cursor=not-ours"} {
				if a := r.raw(t, http.MethodGet, path+sep+bad, tok, nil); a.status != http.StatusBadRequest {
					t.Errorf("%s: %d, want 400", bad, a.status)
				}
			}
			var whole listPage
			if code, _ := r.call(t, http.MethodGet, path+sep+"limit=200", tok, nil, &whole); code != http.StatusOK {
				t.Fatalf("one page: %d", code)
			}
			if whole.NextCursor != nil && len(whole.Items) < 200 {
				t.Errorf("a next_cursor after a short last page")
			}
			var walk []string
			cursor := ""
			for range 500 {
				q := path + sep + "limit=1"
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				var page listPage
				if code, _ := r.call(t, http.MethodGet, q, tok, nil, &page); code != http.StatusOK || len(page.Items) > 1 {
					t.Fatalf("page after %q: %d, %d items", cursor, code, len(page.Items))
				}
				for _, it := range page.Items {
					walk = append(walk, string(it))
				}
				if page.NextCursor == nil {
					break
				}
				cursor = *page.NextCursor
			}
			want := make([]string, len(whole.Items))
			for i, it := range whole.Items {
				want[i] = string(it)
			}
			// Rows may still be arriving (mail, notifications): the walk may
			// hold rows the single page did not, but never one twice, and
			// every row of the single page in the same order.
			if missing, dup := supersequence(ids(walk), ids(want)); missing != "" || dup != "" {
				t.Errorf("walking one by one misses %q or repeats %q:\nwalk %v\npage %v", missing, dup, ids(walk), ids(want))
			}
		})
	}
	if walked < 14 {
		t.Fatalf("only %d list endpoints found in the spec", walked)
	}

	t.Run("rows added during a walk neither repeat nor hide others", func(t *testing.T) {
		var first listPage
		r.call(t, http.MethodGet, "/api/v1/user/games?limit=2", frank.Token, nil, &first)
		if first.NextCursor == nil {
			t.Fatal("no second page")
		}
		create(frank.Token, "public") // newest first: it lands before the cursor
		seen := ids(raws(first.Items))
		cursor := *first.NextCursor
		for cursor != "" {
			var page listPage
			r.call(t, http.MethodGet, "/api/v1/user/games?limit=2&cursor="+url.QueryEscape(cursor), frank.Token, nil, &page)
			seen = append(seen, ids(raws(page.Items))...)
			cursor = ""
			if page.NextCursor != nil {
				cursor = *page.NextCursor
			}
		}
		var before listPage
		r.call(t, http.MethodGet, "/api/v1/user/games?limit=200", frank.Token, nil, &before)
		all := ids(raws(before.Items))[1:] // without the game added mid-walk
		if !slices.Equal(seen, all) {
			t.Fatalf("walk %v, want %v", seen, all)
		}
	})
}

// isList tells whether an operation answers a list: a schema whose items
// sit beside a next_cursor.
func (s *spec) isList(op specOp) bool {
	return strings.HasPrefix(op.opID, "list") || strings.HasPrefix(op.opID, "search")
}

func raws(items []json.RawMessage) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = string(it)
	}
	return out
}

// ids names each item by its first *_id field (or turn), so that lists are
// compared by identity, not by fields that change between two reads.
func ids(items []string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		var m map[string]any
		_ = json.Unmarshal([]byte(it), &m)
		for _, k := range []string{"application_id", "invite_id", "notification_id", "delivery_id", "session_id", "route_id", "id", "canonical_key", "game_id", "user_id", "turn"} {
			if v, ok := m[k]; ok {
				out[i] = fmt.Sprint(v)
				break
			}
		}
	}
	return out
}

// supersequence reports the first item of want that walk lacks (in order)
// and the first item walk holds twice; "" when there is none.
func supersequence(walk, want []string) (missing, dup string) {
	seen := map[string]bool{}
	for _, w := range walk {
		if seen[w] {
			return "", w
		}
		seen[w] = true
	}
	i := 0
	for _, w := range walk {
		if i < len(want) && w == want[i] {
			i++
		}
	}
	if i < len(want) {
		return want[i], ""
	}
	return "", ""
}
