package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// accountPage is the account page: the profile form (as typed, after a
// mistake), the player's sessions and race names.
type accountPage struct {
	Form      form.Account
	Errors    form.Errors
	Zones     []string
	NameMax   int
	Profile   *apiclient.UserProfile
	Sessions  []sessionRow
	RaceNames []apiclient.RaceNameBinding
	// GameNames names the games of the race names, by game id; a game
	// that could not be read is missing.
	GameNames map[string]string
	Now       time.Time
}

// sessionRow is a session with its browser in words.
type sessionRow struct {
	apiclient.SessionInfo
	Browser string
}

// Registrable reports whether a binding is a pending registration the
// player can still make their own.
func (p *accountPage) Registrable(b apiclient.RaceNameBinding) bool {
	return b.BindingKind == apiclient.PendingRegistration && (b.EligibleUntil == nil || b.EligibleUntil.After(p.Now))
}

// GameName names the game a race name is bound to.
func (p *accountPage) GameName(b apiclient.RaceNameBinding) string {
	if name := p.GameNames[orEmpty(b.GameId)]; name != "" {
		return name
	}
	return "the game"
}

// loadAccount reads the sessions and race names beside the profile the
// session already holds.
func (u *UI) loadAccount(ctx context.Context, s *Session) (*accountPage, error) {
	var (
		wg         sync.WaitGroup
		sessions   *apiclient.SessionList
		names      *apiclient.RaceNameBindingList
		errS, errN error
	)
	wg.Go(func() {
		resp, err := u.api.ListMySessionsWithResponse(ctx, &apiclient.ListMySessionsParams{Limit: &maxPage}, s.auth())
		if errS = check(resp, err); errS == nil {
			sessions = resp.JSON200
		}
	})
	wg.Go(func() {
		resp, err := u.api.ListMyRaceNamesWithResponse(ctx, &apiclient.ListMyRaceNamesParams{Limit: &maxPage}, s.auth())
		if errN = check(resp, err); errN == nil {
			names = resp.JSON200
		}
	})
	wg.Wait()
	for _, err := range []error{errS, errN} {
		if err != nil {
			return nil, err
		}
	}
	p := &accountPage{
		Form:    form.Account{DisplayName: s.Me.DisplayName, Timezone: s.Me.Timezone},
		Zones:   form.Zones(s.Me.Timezone),
		NameMax: form.DisplayNameMax, Profile: s.Me, RaceNames: names.Items, Now: time.Now(),
	}
	for _, si := range sessions.Items {
		p.Sessions = append(p.Sessions, sessionRow{SessionInfo: si, Browser: browserName(orEmpty(si.UserAgent))})
	}
	p.GameNames = u.gameNames(ctx, s, p.RaceNames)
	return p, nil
}

// gameNames reads the names of the games race names are bound to, all at
// once; the page links the ones it got.
func (u *UI) gameNames(ctx context.Context, s *Session, bindings []apiclient.RaceNameBinding) map[string]string {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		names = map[string]string{}
	)
	for _, b := range bindings {
		id := orEmpty(b.GameId)
		if id == "" {
			continue
		}
		wg.Go(func() {
			resp, err := u.api.GetGameWithResponse(ctx, id, s.auth())
			if check(resp, err) == nil {
				mu.Lock()
				names[id] = resp.JSON200.Name
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return names
}

// showAccount renders the account page; keep, when not nil, puts back a
// failed form's input and mistakes.
func (u *UI) showAccount(w http.ResponseWriter, r *http.Request, s *Session, status int, msg string, keep func(*accountPage)) {
	p, err := u.loadAccount(r.Context(), s)
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	if keep != nil {
		keep(p)
		p.Zones = form.Zones(p.Form.Timezone)
	}
	if p.Errors.Any() {
		msg = marked(p.Errors)
	}
	v := s.view("Account", "account", p)
	v.Error = msg
	u.render(w, r, status, "account", v)
}

// browserName names a user agent's browser and system in a few words, enough to
// tell one's sessions apart.
func browserName(ua string) string {
	if ua == "" {
		return "unknown"
	}
	name := "another client"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"},
		{"Safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			name = b.name
			break
		}
	}
	for _, o := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			return name + " on " + o.name
		}
	}
	return name
}

func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
