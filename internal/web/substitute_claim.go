package web

import (
	"net/http"
	"net/url"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// SubstituteClaim takes over a race offered to a new player: POST
// /games/{game_id}/substitutes/{race_name}/claim, from the lobby or the
// game's page. In a public game the race is the player's at once; in a
// private one the claim waits for the owner.
func (u *UI) SubstituteClaim(w http.ResponseWriter, r *http.Request) {
	u.signedIn(u.substituteClaim)(w, r)
}

func (u *UI) substituteClaim(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID, race := r.PathValue("game_id"), r.PathValue("race_name")
	resp, err := u.api.ClaimSubstituteWithResponse(r.Context(), gameID, race, s.auth())
	if err := check(resp, err); err != nil {
		if e, ok := refusal(err); ok {
			// Not refuseOnGame: its 404 is the game's, but here it mostly
			// means the race is no longer on offer (its player came back,
			// or someone was quicker). The game's page says so and shows
			// what is still offered; if the game itself is gone, showGame
			// fails with the game's own answer.
			u.showGame(w, r, s, gameID, e.Status, e.Message, func(p *gamePage) { p.Failed = "claim" })
			return
		}
		u.fail(w, r, s, err)
		return
	}
	c := resp.JSON201
	msg := "You asked to take over the " + c.RaceName + ". The game's owner decides; you will be notified."
	if c.Status == apiclient.SubstituteClaimStatusApproved {
		msg = "You now play the " + c.RaceName + ": read the latest report and send your orders for the next turn."
	}
	u.redirect(w, r, "/games/"+url.PathEscape(gameID), msg)
}
