package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/game"
)

// checkEvery is how many rounds a player goes without news before it looks
// at its game anyway (the notification of a turn is the usual cue).
const checkEvery = 4

// play is the player's loop until the run ends: read the unread
// notifications, as every page of the web client does for its badge; on
// news of a turn (or now and then) look at the game and answer a new
// report with orders; otherwise mark the news read or browse; then pause.
// A failed request is counted and the player goes on, as a person would
// reload the page.
func (p *player) play(ctx context.Context) error {
	for round := 0; p.r.until.Err() == nil; round++ {
		if err := p.round(ctx, round); err != nil && !errors.Is(err, errCounted) {
			return err
		}
		p.think()
	}
	return nil
}

// round is one round of play.
func (p *player) round(ctx context.Context, round int) error {
	unread, err := p.unread(ctx)
	if err != nil {
		return err
	}
	news := false
	for _, n := range unread {
		news = news || n.Kind == "game.turn.ready" || n.Kind == "lobby.game.started"
	}
	if news || round%checkEvery == 0 {
		if err := p.checkTurn(ctx); err != nil {
			return err
		}
	}
	if len(unread) > 0 {
		return p.markRead(ctx, unread)
	}
	return p.browse(ctx)
}

// unread returns the player's unread notifications (one page).
func (p *player) unread(ctx context.Context) ([]apiclient.Notification, error) {
	yes, limit := true, 20
	resp, err := p.api.ListNotificationsWithResponse(ctx, &apiclient.ListNotificationsParams{Unread: &yes, Limit: &limit})
	if err != nil {
		return nil, err
	}
	if resp.JSON200 == nil {
		return nil, errCounted
	}
	return resp.JSON200.Items, nil
}

// markRead marks one notification read, or all when there are several.
func (p *player) markRead(ctx context.Context, unread []apiclient.Notification) error {
	if len(unread) == 1 {
		resp, err := p.api.MarkNotificationReadWithResponse(ctx, unread[0].NotificationId)
		if err != nil || resp.JSON200 == nil {
			return orCounted(err)
		}
		return nil
	}
	resp, err := p.api.MarkAllNotificationsReadWithResponse(ctx)
	if err != nil || resp.JSON200 == nil {
		return orCounted(err)
	}
	return nil
}

// checkTurn looks at the game and, when a turn ran since the player last
// sent orders, plays the new one.
func (p *player) checkTurn(ctx context.Context) error {
	resp, err := p.api.GetGameWithResponse(ctx, p.game.id)
	if err != nil {
		return err
	}
	if resp.JSON200 == nil {
		return errCounted
	}
	if resp.JSON200.CurrentTurn > p.seen {
		return p.playTurn(ctx)
	}
	return nil
}

// playTurn reads the latest report, has the bot write orders from it and
// sends them for the next turn, final or not; then reads the stored set
// back, as the orders page does.
func (p *player) playTurn(ctx context.Context) error {
	resp, err := p.api.GetLatestReportWithResponse(ctx, p.game.id)
	if err != nil {
		return err
	}
	if resp.JSON200 == nil {
		return errCounted
	}
	// The bot reads the engine's own report type; the API serves the same
	// JSON.
	var rep struct {
		Turn int             `json:"turn"`
		Data game.ReportData `json:"data"`
	}
	if err := json.Unmarshal(resp.Body, &rep); err != nil {
		return fmt.Errorf("decode the report of turn %d: %w", resp.JSON200.Turn, err)
	}
	p.seen = rep.Turn
	orders := p.bot.Orders(&rep.Data)
	if orders == "" {
		return nil // the race no longer plays
	}
	p.lastOrders = orders
	final := p.rng.Float64() < p.r.opts.Final
	next := rep.Turn + 1
	// 409: the turn ran (or began running) between reading and sending,
	// as happens to people too; the next report is waiting.
	sent, err := p.api.SubmitOrdersWithResponse(expect(ctx, http.StatusConflict), p.game.id,
		apiclient.SubmitOrdersJSONRequestBody{Turn: next, Text: orders, Final: &final})
	if err != nil {
		return err
	}
	if sent.StatusCode() == http.StatusConflict {
		return nil
	}
	if sent.JSON200 == nil {
		return errCounted
	}
	if !sent.JSON200.Accepted {
		p.r.rec.problem("orders of %s for turn %d in game %s not accepted: %+v", p.race, next, p.game.id, sent.JSON200.Errors)
	}
	stored, err := p.api.GetOrdersWithResponse(ctx, p.game.id, &apiclient.GetOrdersParams{Turn: &next})
	if err != nil || stored.JSON200 == nil {
		return orCounted(err)
	}
	return nil
}
