package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// gameCommand is a command on a whole game: its button (gameAction), the
// API call, and what the player reads after it.
type gameCommand struct {
	action gameAction
	call   func(ctx context.Context, api *apiclient.ClientWithResponses, gameID string, auth apiclient.RequestEditorFn) (response, error)
	done   string
	// to is where the player goes after it; "" is the game's page.
	to string
}

var gameCommands = map[string]gameCommand{
	"close-enrollment": {actCloseEnrollment, func(ctx context.Context, api *apiclient.ClientWithResponses, id string, auth apiclient.RequestEditorFn) (response, error) {
		return api.CloseEnrollmentWithResponse(ctx, id, auth)
	}, "Enrollment is closed: the game is ready to start.", ""},
	"start": {actStart, func(ctx context.Context, api *apiclient.ClientWithResponses, id string, auth apiclient.RequestEditorFn) (response, error) {
		return api.StartGameWithResponse(ctx, id, auth)
	}, "The game is starting: the galaxy is being generated. Players are notified when the first turn is ready.", ""},
	"pause": {actPause, func(ctx context.Context, api *apiclient.ClientWithResponses, id string, auth apiclient.RequestEditorFn) (response, error) {
		return api.PauseGameOwnerWithResponse(ctx, id, auth)
	}, "The game is paused: no turn runs until you resume it.", ""},
	"resume": {actResume, func(ctx context.Context, api *apiclient.ClientWithResponses, id string, auth apiclient.RequestEditorFn) (response, error) {
		return api.ResumeGameOwnerWithResponse(ctx, id, auth)
	}, "The game is running again.", ""},
	"cancel": {actCancel, func(ctx context.Context, api *apiclient.ClientWithResponses, id string, auth apiclient.RequestEditorFn) (response, error) {
		return api.CancelGameOwnerWithResponse(ctx, id, auth)
	}, "The game is cancelled. Its players are notified.", ""},
	"leave": {actLeave, func(ctx context.Context, api *apiclient.ClientWithResponses, id string, auth apiclient.RequestEditorFn) (response, error) {
		return api.LeaveGameWithResponse(ctx, id, auth)
	}, "You left the game; your race name is free again.", "/lobby"},
}

// confirmValue is what a ticked confirmation checkbox posts.
const confirmValue = "yes"

// GameCommand runs a command on a game: POST /games/{game_id}/{action} with
// action close-enrollment, start, pause, resume, cancel (owner) or leave
// (player). A destructive one needs its confirmation box ticked; the browser
// asks for it (required), and so does this, for browsers that do not.
func (u *UI) GameCommand(w http.ResponseWriter, r *http.Request) { u.signedIn(u.gameCommand)(w, r) }

func (u *UI) gameCommand(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID := r.PathValue("game_id")
	cmd, ok := gameCommands[r.PathValue("action")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	name := cmd.action.Name
	if cmd.action.Confirm != "" && r.PostForm.Get("confirm") != confirmValue {
		u.showGame(w, r, s, gameID, http.StatusUnprocessableEntity, "", func(p *gamePage) {
			p.Failed, p.Errors = name, map[string]string{"confirm": "Tick the box to confirm, then press the button again."}
		})
		return
	}
	resp, err := cmd.call(r.Context(), u.api, gameID, s.auth())
	if err := check(resp, err); err != nil {
		u.refuseOnGame(w, r, s, gameID, err, func(p *gamePage) { p.Failed = name })
		return
	}
	to := cmd.to
	if to == "" {
		to = "/games/" + url.PathEscape(gameID)
	}
	u.redirect(w, r, to, cmd.done)
}
