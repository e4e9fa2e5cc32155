package main

import (
	"context"
	"fmt"

	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// lobbyPoll is how often a player looks at the lobby while waiting.
const lobbyPoll = 250 * time.Millisecond

// join puts the player into its game: the first player of each game
// creates it and runs its enrollment; the others browse the lobby and
// apply.
func (p *player) join(ctx context.Context) error {
	if p.owner {
		return p.host(ctx)
	}
	if _, err := p.api.ListPublicGamesWithResponse(ctx, &apiclient.ListPublicGamesParams{}); err != nil {
		return err
	}
	select {
	case <-p.game.created:
	case <-p.r.until.Done():
		return p.r.until.Err()
	}
	return p.apply(ctx)
}

// apply asks for a place in the player's game under its race name.
func (p *player) apply(ctx context.Context) error {
	resp, err := p.api.ApplyToGameWithResponse(ctx, p.game.id, apiclient.ApplyToGameJSONRequestBody{RaceName: p.race})
	if err != nil {
		return err
	}
	if resp.JSON201 == nil {
		return errCounted
	}
	return nil
}

// host creates the game, applies to it, approves every applicant as they
// come, closes enrollment once all have, and starts the game. The turn
// schedule is daily: turns during the run are forced by the game master or
// run early when every player is final.
func (p *player) host(ctx context.Context) error {
	g := p.game
	description := "created by tools/loadtest"
	created, err := p.api.CreateGameWithResponse(ctx, apiclient.CreateGameJSONRequestBody{
		Name: gameName(p.r.id, g.k), Description: &description, Visibility: "public",
		MinPlayers: g.size, MaxPlayers: g.size,
		EnrollmentEndsAt: time.Now().Add(time.Hour).UTC(), TurnSchedule: "0 18 * * *",
	})
	if err != nil {
		return err
	}
	if created.JSON201 == nil {
		return errCounted
	}
	g.id = created.JSON201.GameId
	close(g.created)
	if err := p.apply(ctx); err != nil {
		return err
	}
	approved := map[string]bool{}
	all := 200 // a whole game's applications on one page
	for len(approved) < g.size {
		list, err := p.api.ListApplicationsWithResponse(ctx, g.id, &apiclient.ListApplicationsParams{Limit: &all})
		if err != nil {
			return err
		}
		if list.JSON200 == nil {
			return errCounted
		}
		for _, a := range list.JSON200.Items {
			if a.Status != "submitted" || approved[a.ApplicationId] {
				continue
			}
			resp, err := p.api.ApproveApplicationWithResponse(ctx, g.id, a.ApplicationId)
			if err != nil {
				return err
			}
			if resp.JSON200 == nil {
				return errCounted
			}
			approved[a.ApplicationId] = true
		}
		if len(approved) < g.size {
			if err := sleep(p.r.until, lobbyPoll); err != nil {
				return err
			}
		}
	}
	if resp, err := p.api.CloseEnrollmentWithResponse(ctx, g.id); err != nil || resp.JSON200 == nil {
		return orCounted(err)
	}
	if resp, err := p.api.StartGameWithResponse(ctx, g.id); err != nil || resp.JSON202 == nil {
		return orCounted(err)
	}
	return nil
}

// waitRunning looks at the game until its engine runs it.
func (p *player) waitRunning(ctx context.Context) error {
	for {
		resp, err := p.api.GetGameWithResponse(ctx, p.game.id)
		if err != nil {
			return err
		}
		if resp.JSON200 == nil {
			return errCounted
		}
		switch resp.JSON200.Status {
		case "running":
			return nil
		case "start_failed", "cancelled", "finished":
			return fmt.Errorf("game %s is %s", p.game.id, resp.JSON200.Status)
		}
		if err := sleep(p.r.until, lobbyPoll); err != nil {
			return err
		}
	}
}

// orCounted is err, or errCounted when the call went through but its answer
// was not the one wanted (the recorder has counted it).
func orCounted(err error) error {
	if err != nil {
		return err
	}
	return errCounted
}
