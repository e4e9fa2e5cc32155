package web

import (
	"net/http"
	"sync"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

type lobbyPage struct {
	// Open are the public games open for enrollment.
	Open []apiclient.Game
	// Offers are the public games under way with races waiting for a new
	// player.
	Offers  []offerRow
	Mine    []apiclient.Game
	Invites []inviteRow
	Me      string
}

// offerRow is a game under way whose silent races are offered to a new
// player.
type offerRow struct {
	Game apiclient.Game
	// Yours is set when the player is in the game (or runs it): the
	// backend would refuse them its races, so the row only links to it.
	Yours bool
}

// Races are the races on offer.
func (o offerRow) Races() []string {
	if o.Game.SubstitutesWanted == nil {
		return nil
	}
	return *o.Game.SubstitutesWanted
}

// splitPublic sorts the public list into the games open for enrollment and
// the games under way that look for substitutes: the backend lists both in
// one answer, but a seat in a new game and a race to take over mid-game are
// different offers, read differently.
func splitPublic(public, mine []apiclient.Game) (open []apiclient.Game, offers []offerRow) {
	in := make(map[string]bool, len(mine))
	for _, g := range mine {
		in[g.GameId] = true
	}
	for _, g := range public {
		o := offerRow{Game: g, Yours: in[g.GameId]}
		underWay := g.Status == apiclient.GameStatusRunning || g.Status == apiclient.GameStatusPaused
		if underWay && len(o.Races()) > 0 {
			offers = append(offers, o)
		} else {
			open = append(open, g)
		}
	}
	return open, offers
}

type inviteRow struct {
	Invite apiclient.Invite
	Game   *apiclient.Game // nil when the game could not be read
}

// lobbyShow lists open public games, the races on offer in public games
// under way, the player's games and their invites.
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
	page := &lobbyPage{Mine: mine.Items, Me: s.Me.UserId}
	page.Open, page.Offers = splitPublic(pub.Items, mine.Items)
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
