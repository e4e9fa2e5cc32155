package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// claimCall runs a decision on claim claimID of game gameID.
type claimCall func(ctx context.Context, api *apiclient.ClientWithResponses, gameID, claimID string,
	auth apiclient.RequestEditorFn) (*apiclient.SubstituteClaim, error)

// claimCommand is a decision on a claim to take over a race: the call and
// what the player reads after it.
type claimCommand struct {
	call claimCall
	done string // a format for the race name
}

var claimCommands = map[string]claimCommand{
	"approve": {func(ctx context.Context, api *apiclient.ClientWithResponses, g, c string, auth apiclient.RequestEditorFn) (*apiclient.SubstituteClaim, error) {
		resp, err := api.ApproveSubstituteClaimWithResponse(ctx, g, c, auth)
		if err := check(resp, err); err != nil {
			return nil, err
		}
		return resp.JSON200, nil
	}, "Approved: the %s are handed to their new player."},
	"reject": {func(ctx context.Context, api *apiclient.ClientWithResponses, g, c string, auth apiclient.RequestEditorFn) (*apiclient.SubstituteClaim, error) {
		resp, err := api.RejectSubstituteClaimWithResponse(ctx, g, c, auth)
		if err := check(resp, err); err != nil {
			return nil, err
		}
		return resp.JSON200, nil
	}, "Claim declined: the %s stay on offer, played by the bot."},
	"withdraw": {func(ctx context.Context, api *apiclient.ClientWithResponses, g, c string, auth apiclient.RequestEditorFn) (*apiclient.SubstituteClaim, error) {
		resp, err := api.WithdrawSubstituteClaimWithResponse(ctx, g, c, auth)
		if err := check(resp, err); err != nil {
			return nil, err
		}
		return resp.JSON200, nil
	}, "You withdrew your claim to the %s."},
}

// SubstituteDecide approves or rejects a claim to take over a race (owner),
// or withdraws one (its claimant): POST
// /games/{game_id}/substitutes/claims/{claim_id}/{approve|reject|withdraw}.
func (u *UI) SubstituteDecide(w http.ResponseWriter, r *http.Request) {
	u.signedIn(u.substituteDecide)(w, r)
}

func (u *UI) substituteDecide(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID, claimID := r.PathValue("game_id"), r.PathValue("claim_id")
	cmd, ok := claimCommands[r.PathValue("action")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	c, err := cmd.call(r.Context(), u.api, gameID, claimID, s.auth())
	if err != nil {
		u.refuseOnGame(w, r, s, gameID, err, nil)
		return
	}
	u.redirect(w, r, "/games/"+url.PathEscape(gameID), fmt.Sprintf(cmd.done, c.RaceName))
}
