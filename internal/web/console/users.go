package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web"
)

type usersPage struct {
	Query string
	Users []apiclient.UserProfile
	Next  string
}

// users finds users by id, email or display name.
func (c *Console) users(w http.ResponseWriter, r *http.Request, token string) {
	q := r.URL.Query()
	p := &usersPage{Query: strings.TrimSpace(q.Get("query"))}
	params := &apiclient.SearchUsersParams{Limit: &pageSize}
	if p.Query != "" {
		params.Query = &p.Query
	}
	if cur := q.Get("cursor"); cur != "" {
		params.Cursor = &cur
	}
	resp, err := c.api.SearchUsersWithResponse(r.Context(), params, auth(token))
	if err := web.Check(resp, err); err != nil {
		c.fail(w, r, err)
		return
	}
	p.Users = resp.JSON200.Items
	if n := resp.JSON200.NextCursor; n != nil {
		next := q
		next.Set("cursor", *n)
		p.Next = next.Encode()
	}
	c.render(w, http.StatusOK, "users", &View{Title: "Users", SignedIn: true, Nav: "users", Data: p})
}

type userPage struct {
	User     apiclient.UserProfile
	Games    []apiclient.Game
	Sessions []apiclient.SessionInfo
	// Done says what the last action did, and what it released.
	Done string
}

// userState is a user as the console reads them: profile, games, sessions.
type userState struct {
	user     *apiclient.UserProfile
	games    []apiclient.Game
	sessions []apiclient.SessionInfo
}

func (c *Console) readUser(r *http.Request, token, userID string) (userState, error) {
	ctx, editor := r.Context(), auth(token)
	var (
		wg               sync.WaitGroup
		u                *apiclient.GetUserAdminResponse
		g                *apiclient.ListUserGamesAdminResponse
		s                *apiclient.ListUserSessionsAdminResponse
		errU, errG, errS error
	)
	wg.Go(func() { u, errU = c.api.GetUserAdminWithResponse(ctx, userID, editor) })
	wg.Go(func() {
		g, errG = c.api.ListUserGamesAdminWithResponse(ctx, userID, &apiclient.ListUserGamesAdminParams{Limit: &maxList}, editor)
	})
	wg.Go(func() {
		s, errS = c.api.ListUserSessionsAdminWithResponse(ctx, userID, &apiclient.ListUserSessionsAdminParams{Limit: &maxList}, editor)
	})
	wg.Wait()
	for _, err := range []error{web.Check(u, errU), web.Check(g, errG), web.Check(s, errS)} {
		if err != nil {
			return userState{}, err
		}
	}
	return userState{user: u.JSON200, games: g.JSON200.Items, sessions: s.JSON200.Items}, nil
}

// user shows one user: profile, games, sessions, and block or unblock.
func (c *Console) user(w http.ResponseWriter, r *http.Request, token string) {
	c.showUser(w, r, token, r.PathValue("user_id"), r.URL.Query().Get("done"), "")
}

func (c *Console) showUser(w http.ResponseWriter, r *http.Request, token, userID, done, refused string) {
	st, err := c.readUser(r, token, userID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := &View{Title: st.user.DisplayName, SignedIn: true, Nav: "users",
		Data: &userPage{User: *st.user, Games: st.games, Sessions: st.sessions, Done: done}}
	status := http.StatusOK
	if refused != "" {
		status, v.Error = http.StatusConflict, refused
	}
	c.render(w, status, "user", v)
}

// userAct blocks or unblocks a user, and says what the block released: the
// games the user no longer plays in and the sessions that ended.
func (c *Console) userAct(w http.ResponseWriter, r *http.Request, token string) {
	userID, action := r.PathValue("user_id"), r.PathValue("action")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	before, err := c.readUser(r, token, userID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	ctx, editor := r.Context(), auth(token)
	var done string
	switch action {
	case "block":
		reason := strings.TrimSpace(r.PostForm.Get("reason"))
		if reason == "" {
			c.showUser(w, r, token, userID, "", "Say why the user is blocked: the reason is kept with the block.")
			return
		}
		permanent := r.PostForm.Get("permanent") == "yes"
		resp, e := c.api.BlockUserWithResponse(ctx, userID, apiclient.BlockUserJSONRequestBody{Reason: reason, Permanent: &permanent}, editor)
		err = web.Check(resp, e)
		done = "Blocked"
		if permanent {
			done = "Blocked permanently"
		}
	case "unblock":
		resp, e := c.api.UnblockUserWithResponse(ctx, userID, editor)
		err = web.Check(resp, e)
		done = "Unblocked"
	default:
		http.NotFound(w, r)
		return
	}
	if msg, ok := refusal(err); ok {
		c.showUser(w, r, token, userID, "", msg)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	permanent := action == "block" && r.PostForm.Get("permanent") == "yes"
	if after, err := c.afterBlock(r, token, userID, before, permanent); err == nil {
		done += released(before, after)
		if permanent && stillHeld(before, after) {
			done += " The lobby is still releasing their games and race names: reload to see it done."
		}
	}
	http.Redirect(w, r, "/admin/users/"+url.PathEscape(userID)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}

// released describes what changed between two readings of a user: the
// games they left, the games whose status changed (an owner's games are
// cancelled by a permanent block), and the sessions that ended.
func released(before, after userState) string {
	now := map[string]apiclient.GameStatus{}
	for _, g := range after.games {
		now[g.GameId] = g.Status
	}
	var changes []string
	for _, g := range before.games {
		st, still := now[g.GameId]
		switch {
		case !still:
			changes = append(changes, fmt.Sprintf("left %s", g.Name))
		case st != g.Status:
			changes = append(changes, fmt.Sprintf("%s %s → %s", g.Name, g.Status, st))
		}
	}
	out := ""
	if len(changes) > 0 {
		out += "; released: " + strings.Join(changes, ", ")
	}
	if n := len(before.sessions) - len(after.sessions); n > 0 {
		out += fmt.Sprintf("; %d session(s) ended", n)
	}
	return out + "."
}

// cascadeWait bounds how long the console waits for the lobby's part of a
// permanent block, a background job that usually takes milliseconds.
const cascadeWait = 5 * time.Second

// afterBlock reads the user again; after a permanent block it waits (up
// to cascadeWait) for the lobby to release the games they held, so that
// the operator reads what was released.
func (c *Console) afterBlock(r *http.Request, token, userID string, before userState, permanent bool) (userState, error) {
	deadline := time.Now().Add(cascadeWait)
	for {
		after, err := c.readUser(r, token, userID)
		if err != nil || !permanent || !stillHeld(before, after) || time.Now().After(deadline) {
			return after, err
		}
		select {
		case <-r.Context().Done():
			return after, nil
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stillHeld says a game the user held live before is unchanged after: the
// lobby has not released it yet.
func stillHeld(before, after userState) bool {
	now := map[string]apiclient.GameStatus{}
	for _, g := range after.games {
		now[g.GameId] = g.Status
	}
	for _, g := range before.games {
		if g.Status == apiclient.GameStatusFinished || g.Status == apiclient.GameStatusCancelled {
			continue
		}
		if st, ok := now[g.GameId]; ok && st == g.Status {
			return true
		}
	}
	return false
}
