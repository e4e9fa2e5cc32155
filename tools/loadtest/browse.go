package main

import (
	"context"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// browseAction is one thing a player looks at between turns.
type browseAction struct {
	weight int
	do     func(p *player, ctx context.Context) (interface{ StatusCode() int }, error)
}

// browsing lists what players look at when nothing new happened, weighted
// by how often the web client's pages ask for it: the lobby and the
// game's page most, an order check (the engine's forecast, the costliest
// read) now and then.
var browsing = []browseAction{
	{4, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		return p.api.ListPublicGamesWithResponse(ctx, &apiclient.ListPublicGamesParams{})
	}},
	{3, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		return p.api.ListMyGamesWithResponse(ctx, &apiclient.ListMyGamesParams{})
	}},
	{3, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		return p.api.GetGameWithResponse(ctx, p.game.id)
	}},
	{2, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		return p.api.GetReadinessWithResponse(ctx, p.game.id)
	}},
	{2, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		return p.api.ListTurnsWithResponse(ctx, p.game.id, &apiclient.ListTurnsParams{})
	}},
	{1, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		return p.api.ListMembersWithResponse(ctx, p.game.id, &apiclient.ListMembersParams{})
	}},
	{1, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		return p.api.GetMeWithResponse(ctx)
	}},
	{2, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		limit := 50
		return p.api.ListNotificationsWithResponse(ctx, &apiclient.ListNotificationsParams{Limit: &limit})
	}},
	{2, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		// An earlier report, as players compare turns.
		return p.api.GetReportWithResponse(ctx, p.game.id, p.rng.IntN(max(p.seen, 0)+1))
	}},
	{1, func(p *player, ctx context.Context) (interface{ StatusCode() int }, error) {
		// The last orders, checked again: a turn may have run since, so
		// mistakes are normal here; nothing is stored.
		return p.api.CheckOrdersWithResponse(ctx, p.game.id, apiclient.CheckOrdersJSONRequestBody{Text: p.lastOrders})
	}},
}

// browseWeight is the sum of the weights of browsing.
var browseWeight = func() int {
	n := 0
	for _, a := range browsing {
		n += a.weight
	}
	return n
}()

// browse does one browsing action, picked by weight.
func (p *player) browse(ctx context.Context) error {
	pick := p.rng.IntN(browseWeight)
	for _, a := range browsing {
		if pick -= a.weight; pick < 0 {
			resp, err := a.do(p, ctx)
			if err != nil {
				return err
			}
			if code := resp.StatusCode(); code < 200 || code > 299 {
				return errCounted
			}
			return nil
		}
	}
	return nil
}
