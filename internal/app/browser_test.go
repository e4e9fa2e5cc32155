package app

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds a Chromium the browser tests can drive: GALAXY_CHROMIUM,
// or one on PATH (Debian's `chromium` package).
func chromiumPath() string {
	if p := os.Getenv("GALAXY_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactsDir is where browser tests leave their screenshots:
// GALAXY_TEST_ARTIFACTS, or a fixed directory under the system's temp dir
// (kept after the run, so a person can look at the pictures).
func artifactsDir(t testing.TB) string {
	dir := os.Getenv("GALAXY_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "galaxy-browser-tests")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startChromium starts one headless browser for the test; each player gets
// their own browser context (their own cookies) from it.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("no Chromium found (install Debian's `chromium`, or set GALAXY_CHROMIUM): browser tests skipped")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	// The browser starts with the first action on its own context, which
	// lives as long as the test; players' contexts are made from it.
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browser, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return browser
}

// tab is one player's browser tab.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	name string
	dir  string
}

// newPlayer opens a tab in a fresh browser context (cookies of its own).
// The first action runs on the tab's own context, without a timeout: the
// browser lives as long as that context.
func newPlayer(t *testing.T, browser context.Context, base, name string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/signin")); err != nil {
		t.Fatalf("%s: open the browser: %v", name, err)
	}
	return &tab{t: t, ctx: ctx, base: base, name: name, dir: artifactsDir(t)}
}

// do runs steps with a deadline, failing the test (with a screenshot) on error.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failed-" + slug(what))
		b.t.Fatalf("%s: %s: %v", b.name, what, err)
	}
}

// eval evaluates a JavaScript expression on the page.
func evalOn[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: evaluate %q: %v", b.name, expr, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it holds. It evaluates it
// afresh each time rather than with one in-page poll, which a navigation
// (a form's redirect) would abort.
func (b *tab) waitFor(what, predicate string) {
	b.t.Helper()
	var lastErr error
	for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline); time.Sleep(150 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+predicate+")"))
		cancel()
		if err == nil && ok {
			return
		}
		lastErr = err
	}
	b.shot("failed-" + slug(what))
	b.t.Fatalf("%s: %s: never happened (last error: %v)", b.name, what, lastErr)
}

// submit clicks a form's button and waits until the next page has loaded.
func (b *tab) submit(what, css string) {
	b.t.Helper()
	evalOn[bool](b, "window.__galaxyOldPage = true")
	b.do(what, chromedp.Click(chromedp.CSS(css)))
	b.waitFor(what+" (next page)", `!window.__galaxyOldPage && document.readyState === "complete"`)
}

// text returns the text of the first element matching css.
func (b *tab) text(css string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		b.shot("failed-text")
		b.t.Fatalf("%s: text of %s: %v", b.name, css, err)
	}
	return s
}

// shot saves a full-page screenshot at desktop width and at phone width.
func (b *tab) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	for _, w := range []struct {
		suffix        string
		width, height int64
	}{{"", 1280, 900}, {"-phone", 375, 812}} {
		png, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
			if _, err := chromedp.EmulateViewport(w.width, w.height)(ctx, t); err != nil {
				return nil, err
			}
			return chromedp.FullScreenshot(100)(ctx, t)
		})
		if err != nil {
			b.t.Logf("screenshot %s: %v", name, err)
			return
		}
		file := filepath.Join(b.dir, fmt.Sprintf("%s-%s%s.png", b.name, name, w.suffix))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	_ = chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
}

func slug(s string) string {
	return strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(s), "-"), "-")
}

var mailCodeRe = regexp.MustCompile(`\b(\d{6})\b`)

// signIn signs in through the pages: the email form, the code read from the
// dev mailbox in a second tab, the code form.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.do("ask for a code",
		chromedp.Navigate(b.base+"/signin"),
		chromedp.SetValue(chromedp.CSS(`input[name="email"]`), email),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="code"]`)))
	b.shot("signin-code")
	mailbox, cancel := chromedp.NewContext(b.ctx)
	defer cancel()
	code := ""
	for deadline := time.Now().Add(30 * time.Second); code == "" && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		ctx, stop := context.WithTimeout(mailbox, 20*time.Second)
		if err := chromedp.Do(ctx, chromedp.Navigate(b.base+"/dev/mail")); err != nil {
			stop()
			b.t.Fatalf("%s: dev mailbox: %v", b.name, err)
		}
		page, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		stop()
		if err != nil {
			b.t.Fatal(err)
		}
		// Newest first: the first mail to this address holds the code.
		if i := strings.Index(page, "to "+email); i >= 0 {
			if m := mailCodeRe.FindStringSubmatch(page[i:]); m != nil {
				code = m[1]
			}
		}
	}
	if code == "" {
		b.t.Fatalf("%s: no sign-in code in the dev mailbox", b.name)
	}
	b.do("enter the code",
		chromedp.SetValue(chromedp.CSS(`input[name="code"]`), code),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.signout`)))
}

// location is the tab's current path.
func (b *tab) location() string { return evalOn[string](b, "location.pathname") }

func TestBrowserPlay(t *testing.T) {
	t.Parallel()
	browser := startChromium(t)
	r := startApp(t, testConfig(t))
	base := startGateway(t, r, false)
	ann := newPlayer(t, browser, base, "ann")
	bob := newPlayer(t, browser, base, "bob")

	ann.signIn("ann@example.com")
	ann.shot("lobby-empty")
	bob.signIn("bob@example.com")

	// Ann creates a game through the form.
	enrollEnds := time.Now().Add(2 * time.Hour).UTC().Format("2006-01-02T15:04")
	ann.do("create a game",
		chromedp.Navigate(base+"/games/new"),
		chromedp.SetValue(chromedp.CSS(`[name="name"]`), "Andromeda"),
		chromedp.SetValue(chromedp.CSS(`[name="description"]`), "A browser-tested galaxy"),
		chromedp.SetValue(chromedp.CSS(`[name="min_players"]`), "2"),
		chromedp.SetValue(chromedp.CSS(`[name="max_players"]`), "4"),
		chromedp.SetValue(chromedp.CSS(`[name="enrollment_ends_at"]`), enrollEnds),
		chromedp.SetValue(chromedp.CSS(`[name="turn_schedule"]`), "0 18 * * *"))
	ann.shot("game-new")
	ann.submit("submit the new game", `form[action="/games/new"] button[type="submit"]`)
	ann.waitFor("the new game's page", `/^\/games\/[^\/]+$/.test(location.pathname) && location.pathname !== "/games/new"`)
	gamePath := ann.location()
	gameID := strings.TrimPrefix(gamePath, "/games/")

	// Both apply with a race name; Bob's is checked live first.
	apply := func(p *tab, race string) {
		p.do("apply",
			chromedp.Navigate(base+gamePath),
			chromedp.SendKeys(chromedp.CSS(`form[action$="/applications"] input[name="race_name"]`), race))
		p.submit("send the application", `form[action$="/applications"] button[type="submit"]`)
		p.waitFor("the application is shown", `document.body.innerText.includes("`+race+`")`)
	}
	apply(bob, "Klingons")
	bob.shot("game-applied")
	apply(ann, "Vogons")

	// Ann approves both and starts.
	for range 2 {
		ann.do("open the game", chromedp.Navigate(base+gamePath))
		ann.submit("approve an application", `form[action$="/approve"] button[type="submit"]`)
	}
	ann.shot("game-owner")
	ann.do("open the game", chromedp.Navigate(base+gamePath))
	ann.submit("close enrollment", `form[action$="/close-enrollment"] button[type="submit"]`)
	ann.submit("start", `form[action$="/start"] button[type="submit"]`)
	admin := r.adminToken(t)
	waitRunning(t, r, admin, gameID)

	// Bob writes orders with a mistake and sees it flagged live at its line.
	bob.do("open the order editor", chromedp.Navigate(base+gamePath+"/orders"),
		chromedp.WaitVisible(chromedp.CSS(`#orders-text`)),
		chromedp.SendKeys(chromedp.CSS(`#orders-text`), "d Scout 1 0 0 0 0\nzz nonsense order"))
	bob.waitFor("the live check flags line 2", `!!document.querySelector('[data-line="2"].has-error') && /line 2/i.test(document.querySelector("#orders-errors").innerText)`)
	if evalOn[bool](bob, `!!document.querySelector('[data-line="1"].has-error')`) {
		t.Fatal("the good line 1 is flagged too")
	}
	bob.shot("orders-live-check")
	// The order reference, opened, lists GalaxyNG's orders.
	bob.do("open the order reference", chromedp.Click(chromedp.CSS(`details summary`)))
	if got := bob.text(`details`); !strings.Contains(got, "h group|fleet") || !strings.Contains(got, "q your_race") {
		t.Fatalf("the order reference: %q", got)
	}
	bob.shot("orders-reference")
	// Ann watches who has sent orders, live, on her game page.
	ann.do("open the game page", chromedp.Navigate(base+gamePath))
	ann.waitFor("Ann's live stream is open", `document.body.getAttribute("data-live") === "open"`)
	if got := ann.text(`[data-readiness] [data-race="Klingons"]`); !strings.Contains(got, "no orders yet") {
		t.Fatalf("Klingons before any orders: %q", got)
	}
	bob.submit("submit the orders", `form[action$="/orders"] button[type="submit"]`)
	ann.waitFor("Bob's orders shown live on Ann's page", `document.querySelector('[data-readiness] [data-race="Klingons"]').innerText.includes("orders in")`)
	ann.shot("game-readiness")
	bob.waitFor("the verdict after submit", `document.querySelector("#orders-text") && document.querySelector("#orders-text").value.includes("zz nonsense order") && /line 2/i.test(document.querySelector("#orders-errors").innerText)`)
	bob.shot("orders-submitted")

	// A forced turn arrives on the open page without a reload.
	bob.do("open the game page", chromedp.Navigate(base+gamePath))
	bob.waitFor("the live stream is open", `document.body.getAttribute("data-live") === "open"`)
	evalOn[bool](bob, `window.__galaxyNoReload = true`)
	if code, _ := r.call(t, http.MethodPost, "/api/v1/admin/games/"+gameID+"/force-next-turn", admin, nil, nil); code != http.StatusOK {
		t.Fatalf("force-next-turn: %d", code)
	}
	bob.waitFor("the turn announced live", `(() => { const b = document.querySelector(".live-banner"); return b && !b.hidden && /Turn 1\b/.test(b.innerText); })()`)
	if !evalOn[bool](bob, `window.__galaxyNoReload === true`) {
		t.Fatal("the page reloaded to show the turn")
	}
	bob.shot("turn-arrived")

	// The map draws every planet the race knows.
	bobAPI := r.signIn(t, "bob@example.com")
	var rep struct {
		Text string `json:"text"`
		Data struct {
			Planets             []struct{ Name string } `json:"planets"`
			OtherPlanets        []struct{ Name string } `json:"other_planets"`
			UninhabitedPlanets  []struct{ Name string } `json:"uninhabited_planets"`
			UnidentifiedPlanets []struct{ Name string } `json:"unidentified_planets"`
		} `json:"data"`
	}
	if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+gameID+"/reports/latest", bobAPI.Token, nil, &rep); code != http.StatusOK {
		t.Fatalf("report: %d", code)
	}
	bob.do("open the map", chromedp.Navigate(base+gamePath+"/map"), chromedp.WaitVisible(chromedp.CSS(`svg [data-planet]`)))
	var known []string
	for _, list := range [][]struct{ Name string }{rep.Data.Planets, rep.Data.OtherPlanets, rep.Data.UninhabitedPlanets, rep.Data.UnidentifiedPlanets} {
		for _, p := range list {
			known = append(known, p.Name)
		}
	}
	drawn := evalOn[[]string](bob, `[...document.querySelectorAll("svg [data-planet]")].map(e => e.getAttribute("data-planet"))`)
	if len(known) == 0 || len(drawn) != len(known) {
		t.Fatalf("the map draws %d planets, the report knows %d", len(drawn), len(known))
	}
	for _, name := range known {
		if !evalOn[bool](bob, fmt.Sprintf(`!!document.querySelector('svg [data-planet=%q]')`, name)) {
			t.Fatalf("planet %q is not on the map", name)
		}
	}
	if evalOn[int](bob, `document.querySelectorAll('svg [data-planet][data-owner="Klingons"]').length`) == 0 {
		t.Fatal("none of Bob's planets is marked as his")
	}
	bob.shot("map")

	// The report page shows the race's report.
	bob.do("open the report", chromedp.Navigate(base+gamePath+"/reports/latest"), chromedp.WaitVisible(chromedp.CSS(`#report-text`)))
	got := bob.text(`#report-text`)
	if !strings.Contains(got, "Klingons") || strings.TrimSpace(got) != strings.TrimSpace(rep.Text) {
		t.Fatalf("the report page differs from the API's report:\n%.300s", got)
	}
	bob.shot("report")
	bob.do("open the history", chromedp.Navigate(base+gamePath+"/history"))
	bob.shot("history")
	// Bob will be away for a turn: his race is excused, and it shows.
	bob.do("open the game page", chromedp.Navigate(base+gamePath))
	bob.submit("excuse the race", `form[action$="/absence"] button[type="submit"]`)
	if got := bob.text(".flash"); !strings.Contains(got, "excused through turn 2") {
		t.Fatalf("absence: %q", got)
	}
	if got := bob.text(`main`); !strings.Contains(got, "away through turn 2") {
		t.Fatal("the players' list does not show who is away")
	}
	bob.shot("game-away")
	ann.do("open the lobby", chromedp.Navigate(base+"/lobby"))
	ann.shot("lobby")
	t.Logf("screenshots in %s", artifactsDir(t))
}

// waitRunning polls the admin listing until the game runs.
func waitRunning(t testing.TB, r *running, admin, gameID string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var list struct {
			Items []struct {
				GameID string `json:"game_id"`
			} `json:"items"`
		}
		r.call(t, http.MethodGet, "/api/v1/admin/games?status=running", admin, nil, &list)
		for _, g := range list.Items {
			if g.GameID == gameID {
				return
			}
		}
	}
	t.Fatalf("game %s never ran", gameID)
}
