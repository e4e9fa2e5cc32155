package console

import (
	"net/http"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web"
)

// gameStatuses are the statuses an operator filters by, in lifecycle order.
var gameStatuses = []apiclient.GameStatus{apiclient.GameStatusEnrollmentOpen, apiclient.GameStatusReady,
	apiclient.GameStatusStarting, apiclient.GameStatusRunning, apiclient.GameStatusPaused,
	apiclient.GameStatusStartFailed, apiclient.GameStatusFinished, apiclient.GameStatusCancelled}

type gamesPage struct {
	Status   string
	Name     string
	Statuses []apiclient.GameStatus
	Games    []apiclient.Game
	// Next is the query of the next page, "" on the last.
	Next string
}

// games lists games by status and name, newest first, a page at a time.
func (c *Console) games(w http.ResponseWriter, r *http.Request, token string) {
	q := r.URL.Query()
	p := &gamesPage{Status: q.Get("status"), Name: strings.TrimSpace(q.Get("name")), Statuses: gameStatuses}
	params := &apiclient.ListGamesAdminParams{Limit: &pageSize}
	if p.Status != "" {
		st := apiclient.GameStatus(p.Status)
		params.Status = &st
	}
	if p.Name != "" {
		params.Name = &p.Name
	}
	if cur := q.Get("cursor"); cur != "" {
		params.Cursor = &cur
	}
	resp, err := c.api.ListGamesAdminWithResponse(r.Context(), params, auth(token))
	if err := web.Check(resp, err); err != nil {
		c.fail(w, r, err)
		return
	}
	p.Games = resp.JSON200.Items
	if n := resp.JSON200.NextCursor; n != nil {
		next := q
		next.Set("cursor", *n)
		p.Next = next.Encode()
	}
	c.render(w, http.StatusOK, "games", &View{Title: "Games", SignedIn: true, Nav: "games", Data: p})
}

// pageSize is how many rows a console list shows at once.
var pageSize = 50
