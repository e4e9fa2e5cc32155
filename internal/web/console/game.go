package console

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web"
)

type gamePage struct {
	Game    apiclient.Game
	Members []apiclient.Member
	// Runtime is the engine record, nil before the game was ever started.
	Runtime *apiclient.RuntimeRecord
	Turns   []apiclient.TurnInfo
	Actions []gameAction
	// Done says what the last action did (the backend's answer).
	Done string
}

// gameAction is one recovery action of the game page.
type gameAction struct {
	Name, Label, Explain string
	// Confirm asks for a tick first: the action cannot be undone.
	Confirm bool
}

var (
	actPause  = gameAction{Name: "pause", Label: "Pause turns", Explain: "No turn runs until the game is resumed."}
	actResume = gameAction{Name: "resume", Label: "Resume turns", Explain: "Turns run on the schedule again."}
	actForce  = gameAction{Name: "force-next-turn", Label: "Run the next turn now",
		Explain: "Runs the turn with the orders stored so far; the next scheduled tick is skipped.", Confirm: true}
	actRetry  = gameAction{Name: "retry-start", Label: "Retry the start", Explain: "Starts the engine again after a failed start."}
	actCancel = gameAction{Name: "cancel", Label: "Cancel the game",
		Explain: "Ends the game for every player and stops its engine. This cannot be undone.", Confirm: true}
)

// actionsFor are the actions that make sense for a game in status st.
func actionsFor(st apiclient.GameStatus) []gameAction {
	switch st {
	case apiclient.GameStatusRunning:
		return []gameAction{actForce, actPause, actCancel}
	case apiclient.GameStatusPaused:
		return []gameAction{actResume, actCancel}
	case apiclient.GameStatusStartFailed:
		return []gameAction{actRetry, actCancel}
	case apiclient.GameStatusFinished, apiclient.GameStatusCancelled:
		return nil
	}
	return []gameAction{actCancel}
}

// game shows one game for operators: its members, engine and turns.
func (c *Console) game(w http.ResponseWriter, r *http.Request, token string) {
	c.showGame(w, r, token, r.PathValue("game_id"), r.URL.Query().Get("done"), "")
}

func (c *Console) showGame(w http.ResponseWriter, r *http.Request, token, gameID, done, refused string) {
	ctx, editor := r.Context(), auth(token)
	var (
		wg                     sync.WaitGroup
		game                   *apiclient.GetGameAdminResponse
		members                *apiclient.ListGameMembersAdminResponse
		record                 *apiclient.GetRuntimeRecordAdminResponse
		turns                  *apiclient.ListGameTurnsAdminResponse
		errG, errM, errR, errT error
	)
	wg.Go(func() { game, errG = c.api.GetGameAdminWithResponse(ctx, gameID, editor) })
	wg.Go(func() {
		members, errM = c.api.ListGameMembersAdminWithResponse(ctx, gameID, &apiclient.ListGameMembersAdminParams{Limit: &maxList}, editor)
	})
	wg.Go(func() { record, errR = c.api.GetRuntimeRecordAdminWithResponse(ctx, gameID, editor) })
	wg.Go(func() {
		turns, errT = c.api.ListGameTurnsAdminWithResponse(ctx, gameID, &apiclient.ListGameTurnsAdminParams{Limit: &maxList}, editor)
	})
	wg.Wait()
	for _, err := range []error{web.Check(game, errG), web.Check(members, errM), web.Check(turns, errT)} {
		if err != nil {
			c.fail(w, r, err)
			return
		}
	}
	p := &gamePage{Game: *game.JSON200, Members: members.JSON200.Items, Turns: turns.JSON200.Items,
		Actions: actionsFor(game.JSON200.Status), Done: done}
	if web.Check(record, errR) == nil {
		p.Runtime = record.JSON200
	}
	status := http.StatusOK
	v := &View{Title: p.Game.Name, SignedIn: true, Nav: "games", Data: p}
	if refused != "" {
		status, v.Error = http.StatusConflict, refused
	}
	c.render(w, status, "game", v)
}

// maxList is the longest list a console page asks for at once.
var maxList = 200

// gameAct runs a recovery action and shows the game again with the
// backend's answer: what changed, or why it was refused.
func (c *Console) gameAct(w http.ResponseWriter, r *http.Request, token string) {
	gameID, action := r.PathValue("game_id"), r.PathValue("action")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	var act *gameAction
	for _, a := range []gameAction{actPause, actResume, actForce, actRetry, actCancel} {
		if a.Name == action {
			act = &a
		}
	}
	if act == nil {
		http.NotFound(w, r)
		return
	}
	if act.Confirm && r.PostForm.Get("confirm") != "yes" {
		c.showGame(w, r, token, gameID, "", fmt.Sprintf("Tick the box to confirm: %s", act.Explain))
		return
	}
	ctx, editor := r.Context(), auth(token)
	var (
		game *apiclient.Game
		err  error
	)
	switch action {
	case actPause.Name:
		resp, e := c.api.PauseGameAdminWithResponse(ctx, gameID, editor)
		if err = web.Check(resp, e); err == nil {
			game = resp.JSON200
		}
	case actResume.Name:
		resp, e := c.api.ResumeGameAdminWithResponse(ctx, gameID, editor)
		if err = web.Check(resp, e); err == nil {
			game = resp.JSON200
		}
	case actForce.Name:
		resp, e := c.api.ForceNextTurnAdminWithResponse(ctx, gameID, editor)
		if err = web.Check(resp, e); err == nil {
			game = resp.JSON200
		}
	case actRetry.Name:
		resp, e := c.api.RetryStartGameAdminWithResponse(ctx, gameID, editor)
		if err = web.Check(resp, e); err == nil {
			game = resp.JSON202
		}
	case actCancel.Name:
		resp, e := c.api.CancelGameAdminWithResponse(ctx, gameID, editor)
		if err = web.Check(resp, e); err == nil {
			game = resp.JSON200
		}
	}
	if e, ok := refusal(err); ok {
		c.showGame(w, r, token, gameID, "", e)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	done := fmt.Sprintf("%s: the game is %s", act.Label, game.Status)
	if action == actForce.Name {
		done = fmt.Sprintf("%s: turn %d ran", act.Label, game.CurrentTurn)
	}
	http.Redirect(w, r, "/admin/games/"+url.PathEscape(gameID)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}
