package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// master is the game master of one game: it notes when the game starts
// running and then forces its next turn every TurnEvery through the admin
// API, so that turns run during the load whatever the schedule says. A
// 409 means an early turn (every player final) got there first.
func (r *loadRun) master(ctx context.Context, admin *apiclient.ClientWithResponses, g *gameSlot, start time.Time) {
	select {
	case <-g.created:
	case <-r.until.Done():
		return
	}
	for {
		resp, err := admin.GetGameAdminWithResponse(ctx, g.id)
		if err == nil && resp.JSON200 != nil && resp.JSON200.Status == "running" {
			g.runningAfter = time.Since(start)
			break
		}
		if sleep(r.until, lobbyPoll) != nil {
			return
		}
	}
	if r.opts.TurnEvery == 0 {
		return
	}
	// Games out of step, as they would be on a real schedule.
	first := time.Duration(rand.Int64N(int64(r.opts.TurnEvery))) //nolint:gosec // spreading load, not a secret
	for wait := first; sleep(r.until, wait) == nil; wait = r.opts.TurnEvery {
		resp, err := admin.ForceNextTurnAdminWithResponse(expect(ctx, http.StatusConflict), g.id)
		if err != nil && !errors.Is(err, errCounted) {
			return
		}
		if err == nil && resp.JSON200 != nil {
			g.forced++
		}
	}
}
