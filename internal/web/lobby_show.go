package web

import (
	"net/http"
	"sync"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

type lobbyPage struct {
	Public  []apiclient.Game
	Mine    []apiclient.Game
	Invites []inviteRow
	Me      string
}

type inviteRow struct {
	Invite apiclient.Invite
	Game   *apiclient.Game // nil when the game could not be read
}

// lobbyShow lists open public games, the player's games and their invites.
// The three reads run at once: the page waits for the slowest, not the sum.
func (u *UI) lobbyShow(w http.ResponseWriter, r *http.Request, s *Session) {
	ctx := r.Context()
	var (
		wg               sync.WaitGroup
		pub, mine        *apiclient.GameList
		invites          *apiclient.InviteList
		errP, errM, errI error
	)
	wg.Go(func() {
		resp, err := u.api.ListPublicGamesWithResponse(ctx, nil, s.auth())
		if errP = check(resp, err); errP == nil {
			pub = resp.JSON200
		}
	})
	wg.Go(func() {
		resp, err := u.api.ListMyGamesWithResponse(ctx, nil, s.auth())
		if errM = check(resp, err); errM == nil {
			mine = resp.JSON200
		}
	})
	wg.Go(func() {
		resp, err := u.api.ListMyInvitesWithResponse(ctx, &apiclient.ListMyInvitesParams{Limit: &maxPage}, s.auth())
		if errI = check(resp, err); errI == nil {
			invites = resp.JSON200
		}
	})
	wg.Wait()
	for _, err := range []error{errP, errM, errI} {
		if err != nil {
			u.fail(w, r, s, err)
			return
		}
	}
	page := &lobbyPage{Public: pub.Items, Mine: mine.Items, Me: s.Me.UserId}
	page.Invites = make([]inviteRow, len(invites.Items))
	for i, inv := range invites.Items {
		page.Invites[i].Invite = inv
		wg.Go(func() {
			resp, err := u.api.GetGameWithResponse(ctx, inv.GameId, s.auth())
			if check(resp, err) == nil {
				page.Invites[i].Game = resp.JSON200
			}
		})
	}
	wg.Wait()
	u.render(w, r, http.StatusOK, "lobby", s.view("Lobby", "lobby", page))
}
