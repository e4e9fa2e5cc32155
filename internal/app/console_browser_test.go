package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
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
	// A dead letter: a turn mail that gave up (the SMTP relay was away, say),
	// written as the notification worker leaves one. Replaying it from the
	// console sends the mail.
	pool := pgtest.PoolFor(t, r.cfg.Postgres.DSN)
	ctx := context.Background()
	before := r.sink.Count()
	for _, q := range []string{
		`INSERT INTO notifications (notification_id, user_id, kind, payload, dedupe_key)
		 SELECT 'ntf_dead', user_id, 'game.turn.ready',
		        '{"game_id":"` + gameID + `","game_name":"Andromeda","turn":1,"race_name":"Watchers","next_turn_at":"2030-01-01T18:00:00Z"}',
		        'dead-1' FROM users WHERE email = 'console-b@example.com'`,
		`INSERT INTO notification_routes (route_id, notification_id, channel, status, attempts, last_error)
		 VALUES ('nrt_dead', 'ntf_dead', 'email', 'dead', 8, 'mail relay unreachable')`,
		`INSERT INTO notification_dead_letters (route_id, reason, attempts) VALUES ('nrt_dead', 'gave up after 8 attempts: mail relay unreachable', 8)`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ops.do("dead letters", chromedp.Navigate(base+"/admin/dead-letters"))
	ops.shot("console-dead-letters")
	ops.submit("replay", `form[action="/admin/dead-letters/nrt_dead/replay"] button`)
	ops.waitFor("replayed", `document.querySelector(".flash") && document.querySelector(".flash").textContent.includes("queued again")`)
	r.waitMail(t, "console-b@example.com", "turn 1 report for the Watchers")
	if r.sink.Count() <= before {
		t.Fatal("the replayed route sent nothing")
	}

	for _, path := range []string{"/admin", "/admin/mail", "/admin/audit", "/admin/users", "/admin/dead-letters", "/admin/games/" + gameID} {
		ops.do("visit "+path, chromedp.Navigate(base+path))
		if strings.Contains(ops.text("body"), code) {
			t.Fatalf("%s shows the sign-in code", path)
		}
	}
}
