package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/game/bot"
)

// player is one simulated person: a browser's worth of requests, one at a
// time, with pauses between actions.
type player struct {
	r     *loadRun
	i     int
	email string
	race  string
	// addr is the player's own client address, sent in X-Forwarded-For.
	addr  string
	owner bool
	game  *gameSlot

	api   *apiclient.ClientWithResponses
	token string
	rng   *rand.Rand
	// bot writes the orders from each report; it remembers the galaxy as a
	// player does.
	bot *bot.Bot
	// seen is the latest turn whose report the player answered (-1: none).
	seen       int
	lastOrders string
}

// newPlayer returns player i of the run, seated in game g (its first
// player, the owner, creates it).
func newPlayer(r *loadRun, i int, g *gameSlot, owner bool) *player {
	return &player{
		r: r, i: i, game: g, owner: owner,
		email: playerEmail(r.id, i), race: raceName(r.id, i),
		// 198.18.0.0/15 is set aside for benchmarks (RFC 2544).
		addr: fmt.Sprintf("198.18.%d.%d", i/250, i%250+1),
		rng:  rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano()))), //nolint:gosec // pauses and choices, not secrets
		bot:  bot.New(), seen: -1,
	}
}

// run is the player's whole session: sign in, join its game, play until
// the run ends. A failed step ends it, counted once.
func (p *player) run(ctx context.Context) {
	api, err := apiclient.NewClientWithResponses(p.r.tgt.base, apiclient.WithHTTPClient(p.r.rec),
		apiclient.WithRequestEditorFn(p.headers))
	if err != nil {
		p.r.rec.problem("player %d: %v", p.i, err)
		return
	}
	p.api = api
	for _, step := range []func(context.Context) error{p.signIn, p.join, p.waitRunning, p.play} {
		if p.r.until.Err() != nil {
			return
		}
		if err := step(ctx); err != nil {
			if p.r.until.Err() == nil && !errors.Is(err, errCounted) {
				p.r.rec.problem("player %d (%s): %v", p.i, p.email, err)
			}
			return
		}
	}
}

// headers adds the player's session and client address to its requests.
func (p *player) headers(_ context.Context, req *http.Request) error {
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	req.Header.Set("X-Forwarded-For", p.addr)
	return nil
}

// signIn walks the email-code flow: ask for a code, read it from the mail,
// exchange it for a session.
func (p *player) signIn(ctx context.Context) error {
	wait := p.r.tgt.codes.watch(p.email)
	var challenge string
	for challenge == "" {
		// 429 is the rate limit doing its job (a target that sees every
		// player at one address); wait as told and ask again.
		resp, err := p.api.CreateLoginCodeWithResponse(expect(ctx, http.StatusTooManyRequests),
			apiclient.CreateLoginCodeJSONRequestBody{Email: p.email})
		switch {
		case err != nil:
			return err
		case resp.JSON202 != nil:
			challenge = resp.JSON202.ChallengeId
		case resp.StatusCode() == http.StatusTooManyRequests:
			secs, _ := strconv.Atoi(resp.HTTPResponse.Header.Get("Retry-After"))
			if err := sleep(p.r.until, time.Duration(max(secs, 1))*time.Second); err != nil {
				return err
			}
		default:
			return errCounted
		}
	}
	asked := time.Now()
	code, err := wait(p.r.until)
	if err != nil {
		return err
	}
	p.r.signedIn(time.Since(asked))
	resp, err := p.api.CreateSessionWithResponse(ctx, apiclient.CreateSessionJSONRequestBody{ChallengeId: challenge, Code: code})
	if err != nil {
		return err
	}
	if resp.JSON201 == nil {
		return errCounted
	}
	p.token = resp.JSON201.Token
	if _, err := p.api.GetMeWithResponse(ctx); err != nil {
		return err
	}
	return nil
}

// think pauses between two actions, or less when the run ends: Think on
// average, spread between half and one and a half of it so that players
// drift out of step.
func (p *player) think() {
	if p.r.opts.Think > 0 {
		_ = sleep(p.r.until, time.Duration(float64(p.r.opts.Think)*(0.5+p.rng.Float64())))
	}
}
