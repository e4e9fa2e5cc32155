package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserConsole walks the operator console in Chromium as an operator
// would: sign in, read the overview; find a running game and force its
// turn; find a player who has the web client open, block them (their next
// click lands on the sign-in page) and unblock them; open the player's
// sign-in mail (the code never shows) and send it again. Screenshots of
// each page at desktop and phone width go to the test artifacts.
func TestBrowserConsole(t *testing.T) {
	t.Parallel()
	r := startApp(t, testConfig(t))
	base := startGateway(t, r, false)
	browser := startChromium(t)
	gameID := runningGame(t, r, r.adminToken(t))

	player := newPlayer(t, browser, base, "pat")
	player.signIn("pat@example.com")
	code := r.codeSince(t, "pat@example.com", 0)

	ops := newPlayer(t, browser, base, "ops")
	ops.do("open the console", chromedp.Navigate(base+"/admin"))
	ops.waitFor("the sign-in page", `location.pathname === "/admin/signin"`)
	ops.shot("console-signin")
	ops.do("fill in", chromedp.SetValue(chromedp.CSS("#username"), testAdminUser), chromedp.SetValue(chromedp.CSS("#password"), testAdminPassword))
	ops.submit("sign in", `form[action="/admin/signin"] button`)
	ops.waitFor("the overview", `document.querySelector("h1") && document.querySelector("h1").textContent === "Overview"`)
	ops.shot("console-overview")

	// A game: force its next turn and watch the counter move.
	ops.do("games", chromedp.Navigate(base+"/admin/games?status=running"))
	ops.submit("open the game", `a[href="/admin/games/`+gameID+`"]`)
	if got := ops.text("[data-turn]"); got != "0" {
		t.Fatalf("turn before: %q", got)
	}
	ops.do("confirm", chromedp.Click(chromedp.CSS(`form[action$="/force-next-turn"] input[name="confirm"]`)))
	ops.submit("force the turn", `form[action$="/force-next-turn"] button`)
	ops.waitFor("the counter moves", `document.querySelector("[data-turn]").textContent === "1"`)
	ops.shot("console-game-forced")

	// A player: find, block (their open page is bounced), unblock.
	ops.do("users", chromedp.Navigate(base+"/admin/users"))
	ops.do("search", chromedp.SetValue(chromedp.CSS("#query"), "pat@example.com"))
	ops.submit("find", `form[action="/admin/users"] button`)
	ops.submit("open the player", `table a[href^="/admin/users/usr_"]`)
	ops.do("reason", chromedp.SetValue(chromedp.CSS("#reason"), "abusive messages"),
		chromedp.Click(chromedp.CSS(`input[name="permanent"]`)))
	ops.submit("block", `form[action$="/block"] button`)
	ops.waitFor("blocked", `document.querySelector(".flash") && document.querySelector(".flash").textContent.startsWith("Blocked")`)
	ops.shot("console-user-blocked")
	player.do("the player clicks on", chromedp.Navigate(base+"/lobby"))
	player.waitFor("the player is bounced", `location.pathname === "/signin"`)
	ops.submit("unblock", `form[action$="/unblock"] button`)
	ops.waitFor("unblocked", `document.querySelector(".flash") && document.querySelector(".flash").textContent.startsWith("Unblocked")`)

	// Mail: the sign-in mail without its code, sent again with a new attempt.
	ops.do("mail", chromedp.Navigate(base+"/admin/mail?recipient=pat%40example.com&template=auth.login_code"))
	ops.submit("open the delivery", `table a[href^="/admin/mail/dlv_"]`)
	ops.do("let the mail's frame load", chromedp.Sleep(time.Second))
	ops.shot("console-mail")
	ops.submit("send again", `form[action$="/resend"] button`)
	for deadline := time.Now().Add(30 * time.Second); !evalOn[bool](ops, `document.querySelector("[data-attempts]") !== null`); {
		if time.Now().After(deadline) {
			t.Fatal("the resent delivery shows no attempt")
		}
		time.Sleep(200 * time.Millisecond)
		ops.do("reload the delivery", chromedp.Reload())
	}
	ops.shot("console-mail-resent")
	for _, path := range []string{"/admin", "/admin/mail", "/admin/audit", "/admin/users", "/admin/games/" + gameID} {
		ops.do("visit "+path, chromedp.Navigate(base+path))
		if strings.Contains(ops.text("body"), code) {
			t.Fatalf("%s shows the sign-in code", path)
		}
	}
}
