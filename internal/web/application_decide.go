package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// applicationCall runs a decision on application appID of game gameID.
type applicationCall func(ctx context.Context, api *apiclient.ClientWithResponses, gameID, appID string,
	auth apiclient.RequestEditorFn) (*apiclient.Application, error)

// applicationCommand is a decision on an application: the call and what the
// player reads after it.
type applicationCommand struct {
	call applicationCall
	done string // a format for the race name
}

var applicationCommands = map[string]applicationCommand{
	"approve": {func(ctx context.Context, api *apiclient.ClientWithResponses, g, a string, auth apiclient.RequestEditorFn) (*apiclient.Application, error) {
		resp, err := api.ApproveApplicationWithResponse(ctx, g, a, auth)
		if err := check(resp, err); err != nil {
			return nil, err
		}
		return resp.JSON200, nil
	}, "Approved %s: the race plays in this game."},
	"reject": {func(ctx context.Context, api *apiclient.ClientWithResponses, g, a string, auth apiclient.RequestEditorFn) (*apiclient.Application, error) {
		resp, err := api.RejectApplicationWithResponse(ctx, g, a, auth)
		if err := check(resp, err); err != nil {
			return nil, err
		}
		return resp.JSON200, nil
	}, "Rejected %s; the name is free again."},
	"withdraw": {func(ctx context.Context, api *apiclient.ClientWithResponses, g, a string, auth apiclient.RequestEditorFn) (*apiclient.Application, error) {
		resp, err := api.WithdrawApplicationWithResponse(ctx, g, a, auth)
		if err := check(resp, err); err != nil {
			return nil, err
		}
		return resp.JSON200, nil
	}, "You withdrew your application as %s; the name is free again."},
}

// ApplicationDecide approves or rejects an application (owner), or
// withdraws one (its applicant): POST
// /games/{game_id}/applications/{application_id}/{approve|reject|withdraw}.
func (u *UI) ApplicationDecide(w http.ResponseWriter, r *http.Request) {
	u.signedIn(u.applicationDecide)(w, r)
}

func (u *UI) applicationDecide(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID, appID := r.PathValue("game_id"), r.PathValue("application_id")
	cmd, ok := applicationCommands[r.PathValue("action")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	a, err := cmd.call(r.Context(), u.api, gameID, appID, s.auth())
	if err != nil {
		u.refuseOnGame(w, r, s, gameID, err, nil)
		return
	}
	u.redirect(w, r, "/games/"+url.PathEscape(gameID), fmt.Sprintf(cmd.done, a.RaceName))
}
