package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// gamePage is the game page as one player sees it. The page is shared by
// GameShow and by every form posted from it, which show it again with the
// player's input and the mistake when the backend refuses.
type gamePage struct {
	Game    apiclient.Game
	Owner   bool
	Me      string
	Members []apiclient.Member
	// Member is the player's active membership, nil when they do not play.
	Member *apiclient.Member
	// Applications are every application (owner) or the player's own.
	Applications []apiclient.Application
	// Mine is the player's latest application, nil when none.
	Mine *apiclient.Application
	// Invite is the player's open invitation to this game, nil when none.
	Invite *apiclient.Invite
	// Sent are the game's invitations (owner only), newest first.
	Sent []apiclient.Invite
	// Claims are the game's claims to take over a race on offer: every one
	// (owner) or the player's own, oldest first.
	Claims []apiclient.SubstituteClaim
	// MyClaim is the player's latest claim, nil when none.
	MyClaim *apiclient.SubstituteClaim
	// Messages are what other races relayed to the player's race, newest
	// first.
	Messages []apiclient.GameMessage
	// NewPassword is the orders password just drawn (shown once, never
	// stored in the browser), and OrdersAddress where to mail commands.
	NewPassword, OrdersAddress string
	// Readiness is who has sent orders for the coming turn (players of a
	// running game only), nil otherwise.
	Readiness *apiclient.Readiness
	// Actions are the player's commands in the game's status: the owner's,
	// and leaving for a player.
	Actions []gameAction
	// NextRuns are the schedule's next turn times.
	NextRuns []time.Time
	Settings []gameSetting

	// Failed is the form ("apply", "invite", "accept", or an action's name)
	// that the mistake in Errors or the page's error is about.
	Failed      string
	RaceName    string
	InviteEmail string
	Errors      form.Errors

	RaceNameMin, RaceNameMax int
}

// gameAction is a command on a game, a button on its page.
type gameAction struct {
	// Name is the path segment: POST /games/{game_id}/{Name}.
	Name, Label, Hint string
	// Style is the button's class ("" for the main action).
	Style string
	// Confirm, when set, is the label of a checkbox that must be ticked
	// first: the confirmation step of a destructive action, which works
	// without JavaScript.
	Confirm string
}

// The commands on a game. Start serves "ready", a failed start and a start
// that got stuck alike (the backend accepts all three).
var (
	actCloseEnrollment = gameAction{Name: "close-enrollment", Label: "Close enrollment",
		Hint: "No more applications. The game is then ready to start, if enough players are approved."}
	actStart = gameAction{Name: "start", Label: "Start the game",
		Hint: "The galaxy is generated and turns run on the schedule."}
	actRetryStart = gameAction{Name: "start", Label: "Try the start again",
		Hint: "The last start did not finish."}
	actPause  = gameAction{Name: "pause", Label: "Pause turns", Hint: "No turn runs until you resume.", Style: "secondary"}
	actResume = gameAction{Name: "resume", Label: "Resume turns", Hint: "Turns run on the schedule again."}
	actCancel = gameAction{Name: "cancel", Label: "Cancel the game", Style: "danger",
		Hint: "Ends the game for every player. This cannot be undone.", Confirm: "Yes, cancel this game for everyone"}
	actLeave = gameAction{Name: "leave", Label: "Leave the game", Style: "danger",
		Hint: "Your race leaves the game and its name is released.", Confirm: "Yes, I want to leave this game"}
)

// ownerActions are the commands an owner has in a status.
func ownerActions(st apiclient.GameStatus) []gameAction {
	switch st {
	case apiclient.GameStatusEnrollmentOpen:
		return []gameAction{actCloseEnrollment, actCancel}
	case apiclient.GameStatusReady:
		return []gameAction{actStart, actCancel}
	case apiclient.GameStatusStarting, apiclient.GameStatusStartFailed:
		return []gameAction{actRetryStart, actCancel}
	case apiclient.GameStatusRunning:
		return []gameAction{actPause, actCancel}
	case apiclient.GameStatusPaused:
		return []gameAction{actResume, actCancel}
	}
	return nil
}

// gameEnded reports whether a game is over for good.
func gameEnded(st apiclient.GameStatus) bool {
	return st == apiclient.GameStatusFinished || st == apiclient.GameStatusCancelled
}

// CanApply reports whether the player may apply: a public game open for
// enrollment, which they neither play nor wait on (a withdrawn or rejected
// application may be followed by a new one).
func (p *gamePage) CanApply() bool {
	return p.Game.Status == apiclient.GameStatusEnrollmentOpen && p.Game.Visibility == apiclient.GameVisibilityPublic &&
		p.Member == nil && p.Invite == nil &&
		(p.Mine == nil || p.Mine.Status == apiclient.ApplicationStatusWithdrawn || p.Mine.Status == apiclient.ApplicationStatusRejected)
}

// Offered are the races the bot plays while they wait for a new player
// (idle_policy substitute).
func (p *gamePage) Offered() []string {
	if p.Game.SubstitutesWanted == nil {
		return nil
	}
	return *p.Game.SubstitutesWanted
}

// IsOffered reports whether race waits for a new player.
func (p *gamePage) IsOffered(race string) bool { return slices.Contains(p.Offered(), race) }

// MyRaceOffered reports whether the player's own race has gone idle and is
// offered to others: they keep it only by sending orders.
func (p *gamePage) MyRaceOffered() bool { return p.Member != nil && p.IsOffered(p.Member.RaceName) }

// underWay reports whether the game has turns still to run.
func (p *gamePage) underWay() bool {
	return p.Game.Status == apiclient.GameStatusRunning || p.Game.Status == apiclient.GameStatusPaused
}

// CanClaim reports whether the player may take over a race on offer: the
// game is under way, and they neither play nor played in it (the backend
// refuses a race to a former player, whose old race may be the one on
// offer) nor wait on a claim already.
func (p *gamePage) CanClaim() bool {
	if !p.underWay() || len(p.Offered()) == 0 {
		return false
	}
	if slices.ContainsFunc(p.Members, func(m apiclient.Member) bool { return m.UserId == p.Me }) {
		return false
	}
	return p.MyClaim == nil || p.MyClaim.Status != apiclient.SubstituteClaimStatusSubmitted
}

// ShowClaims reports whether the owner's card of claims is drawn: in a game
// whose silent races are offered, or once anyone has claimed one.
func (p *gamePage) ShowClaims() bool {
	policy, _ := p.Game.Settings["idle_policy"].(string)
	return p.Owner && (policy == "substitute" || len(p.Claims) > 0)
}

// AbsenceChoices are the lengths of absence the game allows.
func (p *gamePage) AbsenceChoices() []int {
	n := 2 // the platform's default max_absence_turns
	if v, ok := p.Game.Settings["max_absence_turns"].(float64); ok && v > 0 {
		n = int(v)
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// CanInvite reports whether the owner may invite players now.
func (p *gamePage) CanInvite() bool {
	return p.Owner && p.Game.Status == apiclient.GameStatusEnrollmentOpen
}

// Playing reports whether the player has a race in a started game, so has a
// map, orders and reports to open.
func (p *gamePage) Playing() bool {
	if p.Member == nil {
		return false
	}
	switch p.Game.Status {
	case apiclient.GameStatusRunning, apiclient.GameStatusPaused, apiclient.GameStatusFinished:
		return true
	}
	return false
}

// Pending are the applications awaiting the owner's decision.
func (p *gamePage) Pending() []apiclient.Application {
	var out []apiclient.Application
	for _, a := range p.Applications {
		if a.Status == apiclient.ApplicationStatusSubmitted {
			out = append(out, a)
		}
	}
	return out
}

// Decided are the applications already decided or withdrawn.
func (p *gamePage) Decided() []apiclient.Application {
	var out []apiclient.Application
	for _, a := range p.Applications {
		if a.Status != apiclient.ApplicationStatusSubmitted {
			out = append(out, a)
		}
	}
	return out
}

// gameSetting is one of the game's settings in words.
type gameSetting struct{ Label, Value string }

// describeSettings says what a game's engine settings mean, defaults
// included (an absent or zero setting is the engine's default).
func describeSettings(s map[string]any) []gameSetting {
	num := func(k string) int {
		f, _ := s[k].(float64) // JSON numbers
		return int(f)
	}
	out := make([]gameSetting, 0, 4)
	if n := num("max_turns"); n > 0 {
		out = append(out, gameSetting{"Turn limit", strconv.Itoa(n) + " turns"})
	} else {
		out = append(out, gameSetting{"Turn limit", "none: the game runs until one race is left"})
	}
	if n := num("planets_per_race"); n > 0 {
		out = append(out, gameSetting{"Planets per race", strconv.Itoa(n)})
	} else {
		out = append(out, gameSetting{"Planets per race", strconv.Itoa(form.GameLimits.PlanetsPerRaceDefault) + " (default)"})
	}
	idle := num("idle_turns")
	if idle == 0 {
		idle = num("idle_turns_limit")
	}
	policy, _ := s["idle_policy"].(string)
	if (policy == "bot" || policy == "substitute") && idle == 0 {
		idle = 3
	}
	switch {
	case policy == "bot":
		out = append(out, gameSetting{"Idle races", "played by the bot after " + strconv.Itoa(idle) +
			" turns in a row without orders, until their player is back"})
	case policy == "substitute":
		out = append(out, gameSetting{"Idle races", "played by the bot after " + strconv.Itoa(idle) +
			" turns in a row without orders and offered to a new player, until their player is back or someone takes over"})
	case idle > 0:
		out = append(out, gameSetting{"Idle races", "removed after " + strconv.Itoa(idle) + " turns in a row without orders"})
	default:
		out = append(out, gameSetting{"Idle races", "removed after 3 turns in a row without orders (6 after turn 10)"})
	}
	if wrap, _ := s["wrap"].(bool); wrap {
		out = append(out, gameSetting{"Map edges", "wrap around"})
	} else {
		out = append(out, gameSetting{"Map edges", "closed"})
	}
	return out
}

// nextRuns lists the next n times a 5-field UTC schedule fires after from.
func nextRuns(schedule string, from time.Time, n int) []time.Time {
	sched, err := cron.ParseStandard(schedule)
	if err != nil {
		return nil
	}
	out := make([]time.Time, 0, n)
	t := from.UTC()
	for range n {
		t = sched.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}

// loadGame reads what the game page needs, all at once: the game, its
// members, the applications the player may see and their invitations.
func (u *UI) loadGame(ctx context.Context, s *Session, gameID string) (*gamePage, error) {
	var (
		wg                      sync.WaitGroup
		game                    *apiclient.Game
		members                 *apiclient.MemberList
		apps                    *apiclient.ApplicationList
		invites                 *apiclient.InviteList
		sent                    *apiclient.InviteList
		readiness               *apiclient.Readiness
		claims                  *apiclient.SubstituteClaimList
		messages                *apiclient.GameMessageList
		errG, errM, errA, errIn error
	)
	wg.Go(func() {
		resp, err := u.api.GetGameWithResponse(ctx, gameID, s.auth())
		if errG = check(resp, err); errG == nil {
			game = resp.JSON200
		}
	})
	wg.Go(func() {
		resp, err := u.api.ListMembersWithResponse(ctx, gameID, &apiclient.ListMembersParams{Limit: &maxPage}, s.auth())
		if errM = check(resp, err); errM == nil {
			members = resp.JSON200
		}
	})
	wg.Go(func() {
		resp, err := u.api.ListApplicationsWithResponse(ctx, gameID, &apiclient.ListApplicationsParams{Limit: &maxPage}, s.auth())
		if errA = check(resp, err); errA == nil {
			apps = resp.JSON200
		}
	})
	wg.Go(func() {
		resp, err := u.api.ListMyInvitesWithResponse(ctx, &apiclient.ListMyInvitesParams{Limit: &maxPage}, s.auth())
		if errIn = check(resp, err); errIn == nil {
			invites = resp.JSON200
		}
	})
	// The owner's sent invitations: a 403 for everyone else, which only
	// means there is no card to show.
	wg.Go(func() {
		resp, err := u.api.ListGameInvitesWithResponse(ctx, gameID, &apiclient.ListGameInvitesParams{Limit: &maxPage}, s.auth())
		if check(resp, err) == nil {
			sent = resp.JSON200
		}
	})
	// Who has sent orders: only a running game's players get an answer.
	wg.Go(func() {
		resp, err := u.api.GetReadinessWithResponse(ctx, gameID, s.auth())
		if check(resp, err) == nil {
			readiness = resp.JSON200
		}
	})
	// Claims to take over a race: the owner's to decide, the player's own
	// to follow. Without them the page still works, so a failure (or a
	// backend without substitutes) only leaves their card out.
	wg.Go(func() {
		resp, err := u.api.ListSubstituteClaimsWithResponse(ctx, gameID, &apiclient.ListSubstituteClaimsParams{Limit: &maxPage}, s.auth())
		if check(resp, err) == nil {
			claims = resp.JSON200
		}
	})
	// Messages relayed to the player's race (by mail's #RELAY).
	wg.Go(func() {
		resp, err := u.api.ListGameMessagesWithResponse(ctx, gameID, &apiclient.ListGameMessagesParams{Limit: &maxPage}, s.auth())
		if check(resp, err) == nil {
			messages = resp.JSON200
		}
	})
	wg.Wait()
	// The game's own answer first: a 404 there is the page's 404.
	for _, err := range []error{errG, errM, errA} {
		if err != nil {
			return nil, err
		}
	}
	p := &gamePage{
		Game: *game, Me: s.Me.UserId, Owner: game.OwnerUserId == s.Me.UserId,
		Members: members.Items, Applications: apps.Items,
		Settings:    describeSettings(game.Settings),
		RaceNameMin: form.RaceNameMin, RaceNameMax: form.RaceNameMax,
	}
	switch {
	case gameEnded(game.Status):
	case game.NextTurnAt != nil:
		// The backend's next turn is the truth (a forced or early turn
		// passes over a tick); the schedule goes on from there.
		p.NextRuns = append([]time.Time{*game.NextTurnAt}, nextRuns(game.TurnSchedule, *game.NextTurnAt, 2)...)
	default:
		p.NextRuns = nextRuns(game.TurnSchedule, time.Now(), 3)
	}
	for i, m := range p.Members {
		if m.UserId == p.Me && m.Status == apiclient.MemberStatusActive {
			p.Member = &p.Members[i]
		}
	}
	if p.Playing() && !gameEnded(game.Status) {
		p.Readiness = readiness
	}
	if messages != nil {
		p.Messages = messages.Items
	}
	if p.Owner {
		p.Actions = ownerActions(game.Status)
		if sent != nil {
			p.Sent = sent.Items
		}
	}
	if p.Member != nil && !gameEnded(game.Status) {
		p.Actions = append(p.Actions, actLeave)
	}
	for i, a := range p.Applications {
		if a.UserId == p.Me && (p.Mine == nil || a.CreatedAt.After(p.Mine.CreatedAt)) {
			p.Mine = &p.Applications[i]
		}
	}
	if claims != nil {
		p.Claims = claims.Items
		for i, c := range p.Claims {
			if c.UserId == p.Me && (p.MyClaim == nil || c.CreatedAt.After(p.MyClaim.CreatedAt)) {
				p.MyClaim = &p.Claims[i]
			}
		}
	}
	// Invitations only add a card: without them the page still works.
	if errIn != nil {
		u.logger.Warn("game page: invitations not read", "error", errIn)
	} else {
		for i, inv := range invites.Items {
			if inv.GameId == gameID && inv.Status == apiclient.Created {
				p.Invite = &invites.Items[i]
			}
		}
	}
	return p, nil
}

// showGame renders a game's page with status; msg is shown above it and
// keep, when not nil, puts back a failed form's input and mistakes.
func (u *UI) showGame(w http.ResponseWriter, r *http.Request, s *Session, gameID string, status int, msg string, keep func(*gamePage)) {
	p, err := u.loadGame(r.Context(), s, gameID)
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	if keep != nil {
		keep(p)
	}
	if p.Errors.Any() {
		msg = marked(p.Errors)
	}
	v := s.view(p.Game.Name, "game", p)
	v.GameID = p.Game.GameId
	v.Error = msg
	u.render(w, r, status, "game_show", v)
}

// refuseOnGame shows a refusal of a form posted from a game's page on that
// page (status and message kept); other failures go to fail.
func (u *UI) refuseOnGame(w http.ResponseWriter, r *http.Request, s *Session, gameID string, err error, keep func(*gamePage)) {
	e, ok := refusal(err)
	if !ok {
		u.fail(w, r, s, err)
		return
	}
	if e.Status == http.StatusNotFound {
		// The game itself may be gone (or was never visible): its page
		// would only say so again.
		u.fail(w, r, s, err)
		return
	}
	u.showGame(w, r, s, gameID, e.Status, e.Message, keep)
}

// Err is the mistake of field in the form named formName, "" when that form
// is not the one that failed.
func (p *gamePage) Err(formName, field string) string {
	if p.Failed != formName {
		return ""
	}
	return p.Errors[field]
}

// actionForm is what the "action" template draws: a command's button on this
// game, with its mistake when it was the one that failed.
type actionForm struct {
	gameAction
	GameID, Error string
}

// ActionForm prepares a command's form for the page.
func (p *gamePage) ActionForm(a gameAction) actionForm {
	return actionForm{gameAction: a, GameID: p.Game.GameId, Error: p.Err(a.Name, "confirm")}
}
