package notification_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/notification"
)

func TestRolledBackIntentLeavesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	ann := e.user(t, "ann@example.com")
	boom := errors.New("the caller's change failed")
	err := e.db.InTx(context.Background(), func(ctx context.Context, tx pgx.Tx) error {
		if err := e.svc.NotifyTx(ctx, tx, approved("k1", ann)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx: %v", err)
	}
	for _, q := range []string{
		"SELECT count(*) FROM notifications",
		"SELECT count(*) FROM notification_routes",
		"SELECT count(*) FROM river_job WHERE kind = 'notification.dispatch'",
	} {
		if n := e.count(t, q); n != 0 {
			t.Errorf("%s = %d after a rollback", q, n)
		}
	}
}

func TestCommittedIntentDeliversOncePerRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{start: true})
	ann, bob := e.user(t, "ann@example.com"), e.user(t, "bob@example.com")
	e.notify(t, approved("app-approved:1", ann, bob, ann))

	t.Run("one inbox row per recipient, push and email routes per default preferences", func(t *testing.T) {
		if n := e.count(t, "SELECT count(*) FROM notifications WHERE kind = 'lobby.application.approved'"); n != 2 {
			t.Fatalf("notifications: %d", n)
		}
		rs := e.routes(t, "lobby.application.approved")
		if len(rs) != 4 {
			t.Fatalf("routes: %+v", rs)
		}
	})
	waitFor(t, "every route delivered", 15*time.Second, func() bool {
		for _, r := range e.routes(t, "lobby.application.approved") {
			if r.Status != notification.RouteDelivered {
				return false
			}
		}
		return true
	})
	waitFor(t, "two mails", 15*time.Second, func() bool { return e.sink.Count() == 2 })

	t.Run("pushes carry the notification", func(t *testing.T) {
		sub := e.push.Subscribe(e.push.Epoch(), 0)
		recs := sub.Backlog()
		if len(recs) != 2 {
			t.Fatalf("pushed %d events", len(recs))
		}
		for _, r := range recs {
			if r.Kind != "lobby.application.approved" || len(r.UserIDs) != 1 ||
				!strings.Contains(string(r.Payload), `"notification_id":"ntf_`) || !strings.Contains(string(r.Payload), `"race_name":"Vogons"`) {
				t.Errorf("event: %+v %s", r, r.Payload)
			}
		}
	})

	t.Run("a retried worker never mails twice", func(t *testing.T) {
		for _, r := range e.routes(t, "lobby.application.approved") {
			if r.Channel != notification.ChannelEmail {
				continue
			}
			// Once more as delivered (the job retried after its success)...
			if err := e.svc.Dispatch(context.Background(), r.ID); err != nil {
				t.Fatal(err)
			}
			// ...and once more as if the success had not been recorded: the
			// route id is the mail's idempotency key.
			if _, err := e.pool.Exec(context.Background(), "UPDATE notification_routes SET status = 'pending' WHERE route_id = $1", r.ID); err != nil {
				t.Fatal(err)
			}
			if err := e.svc.Dispatch(context.Background(), r.ID); err != nil {
				t.Fatal(err)
			}
		}
		if n := e.count(t, "SELECT count(*) FROM mail_deliveries"); n != 2 {
			t.Fatalf("mail deliveries: %d", n)
		}
		time.Sleep(300 * time.Millisecond)
		if n := e.sink.Count(); n != 2 {
			t.Fatalf("mails sent: %d", n)
		}
	})

	t.Run("a repeated intent with the same key is a no-op", func(t *testing.T) {
		e.notify(t, approved("app-approved:1", ann, bob))
		if n := e.count(t, "SELECT count(*) FROM notifications"); n != 2 {
			t.Fatalf("notifications: %d", n)
		}
		if n := e.count(t, "SELECT count(*) FROM notification_routes"); n != 4 {
			t.Fatalf("routes: %d", n)
		}
	})
}

func TestRouteOverBudgetIsDeadLetteredAndReplayed(t *testing.T) {
	t.Parallel()
	var failing atomic.Bool
	failing.Store(true)
	e := newEnv(t, envOptions{start: true,
		cfg: func(c *config.Notification) { c.MaxAttempts = 3 },
		before: func(_, channel string) error {
			if channel == notification.ChannelEmail && failing.Load() {
				return errors.New("mail intake unavailable")
			}
			return nil
		}})
	ann, bob := e.user(t, "ann@example.com"), e.user(t, "bob@example.com")
	e.notify(t, notification.Intent{Kind: "lobby.invite.created", UserIDs: []string{bob}, DedupeKey: "invite:1",
		Payload: map[string]any{"game_id": "gam_1", "game_name": "Andromeda", "status": "enrollment_open",
			"invite_id": "inv_1", "inviter_user_id": ann, "expires_at": time.Date(2030, 1, 2, 18, 0, 0, 0, time.UTC)}})

	var page notification.DeadLetterPage
	waitFor(t, "a dead letter", 15*time.Second, func() bool {
		var err error
		page, err = e.svc.DeadLetters(context.Background(), 10, nil)
		return err == nil && len(page.Items) == 1
	})
	d := page.Items[0]
	if d.Attempts != 3 || d.Channel != notification.ChannelEmail || d.UserID != bob ||
		!strings.Contains(d.Reason, "gave up after 3 attempts: mail intake unavailable") {
		t.Fatalf("dead letter: %+v", d)
	}
	if n := e.count(t, "SELECT count(*) FROM notification_routes WHERE route_id = $1 AND status = 'dead'", d.RouteID); n != 1 {
		t.Fatal("the route is not dead")
	}
	if e.sink.Count() != 0 {
		t.Fatal("a failing route mailed")
	}

	failing.Store(false)
	r, err := e.svc.Replay(context.Background(), d.RouteID)
	if err != nil || r.Status != notification.RoutePending || r.Attempts != 0 {
		t.Fatalf("replay: %+v %v", r, err)
	}
	waitFor(t, "the replayed mail", 15*time.Second, func() bool { return e.sink.Count() == 1 })
	msg := e.sink.Messages()[0]
	if subj := msg.Header.Get("Subject"); !strings.Contains(subj, "ann invites you") || !strings.Contains(subj, "Andromeda") {
		t.Errorf("subject: %q", subj)
	}
	waitFor(t, "the route delivered", 5*time.Second, func() bool {
		return e.count(t, "SELECT count(*) FROM notification_routes WHERE route_id = $1 AND status = 'delivered'", d.RouteID) == 1
	})
	if page, _ := e.svc.DeadLetters(context.Background(), 10, nil); len(page.Items) != 0 {
		t.Fatalf("dead letters after replay: %+v", page.Items)
	}
	if _, err := e.svc.Replay(context.Background(), d.RouteID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("replaying a delivered route: %v", err)
	}
}

func TestPayloadMissingTemplateDataFailsAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	ann := e.user(t, "ann@example.com")
	// A payload without what the template needs: no schedule.
	e.notify(t, notification.Intent{Kind: "lobby.game.started", UserIDs: []string{ann}, DedupeKey: "started:1",
		Payload: map[string]any{"game_id": "gam_1", "game_name": "Andromeda", "status": "running"}})
	for _, r := range e.routes(t, "lobby.game.started") {
		err := e.svc.Dispatch(context.Background(), r.ID)
		if r.Channel == notification.ChannelPush {
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "next_turn_at, turn_schedule") {
			t.Fatalf("email dispatch: %v", err)
		}
	}
	page, err := e.svc.DeadLetters(context.Background(), 10, nil)
	if err != nil || len(page.Items) != 1 || page.Items[0].Attempts != 1 ||
		!strings.Contains(page.Items[0].Reason, "needed by mail template game.started") {
		t.Fatalf("dead letters: %+v %v", page.Items, err)
	}
}

func TestInbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	ann, bob := e.user(t, "ann@example.com"), e.user(t, "bob@example.com")
	for _, k := range []string{"a", "b", "c"} {
		e.notify(t, notification.Intent{Kind: "lobby.game.cancelled", UserIDs: []string{ann}, DedupeKey: k,
			Payload: map[string]any{"key": k}})
	}
	ctx := context.Background()

	first, err := e.svc.List(ctx, ann, false, 2, nil)
	if err != nil || len(first.Items) != 2 || first.Next == nil {
		t.Fatalf("first page: %+v %v", first, err)
	}
	rest, err := e.svc.List(ctx, ann, false, 2, first.Next)
	if err != nil || len(rest.Items) != 1 || rest.Next != nil {
		t.Fatalf("second page: %+v %v", rest, err)
	}
	got := []string{}
	for _, n := range append(first.Items, rest.Items...) {
		got = append(got, string(n.Payload))
	}
	if !strings.Contains(got[0], `"c"`) || !strings.Contains(got[2], `"a"`) {
		t.Fatalf("not newest first: %v", got)
	}

	n, err := e.svc.MarkRead(ctx, ann, first.Items[0].NotificationID)
	if err != nil || n.ReadAt == nil {
		t.Fatalf("mark read: %+v %v", n, err)
	}
	if _, err := e.svc.MarkRead(ctx, bob, first.Items[1].NotificationID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("marking someone else's notification: %v", err)
	}
	unread, _ := e.svc.List(ctx, ann, true, 10, nil)
	if len(unread.Items) != 2 {
		t.Fatalf("unread: %d", len(unread.Items))
	}
	if updated, err := e.svc.MarkAllRead(ctx, ann); err != nil || updated != 2 {
		t.Fatalf("read all: %d %v", updated, err)
	}
	if unread, _ := e.svc.List(ctx, ann, true, 10, nil); len(unread.Items) != 0 {
		t.Fatalf("unread after read-all: %d", len(unread.Items))
	}
}

func TestPreferencesChangeRouting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	ann, bob, cid := e.user(t, "ann@example.com"), e.user(t, "bob@example.com"), e.user(t, "cid@example.com")
	ctx := context.Background()

	prefs, err := e.svc.Preferences(ctx, ann)
	if err != nil || len(prefs) != len(notification.KnownKinds) {
		t.Fatalf("preferences: %+v %v", prefs, err)
	}
	for _, p := range prefs {
		mailed := []string{"lobby.application.approved", "lobby.invite.created", "lobby.game.started", "game.turn.ready",
			"game.turn.reminder", "game.race.removed", "game.race.offered", "game.race.handed_over", "game.substitute.approved",
			"game.message.received",
			"game.finished"}
		if !p.Push || p.Email != slices.Contains(mailed, p.Kind) {
			t.Errorf("default %+v", p)
		}
	}
	for _, bad := range [][]notification.Preference{
		{{Kind: "lobby.no.such.kind", Push: true}},
		{{Kind: "lobby.game.cancelled", Email: true}},
		{{Kind: "game.finished"}, {Kind: "game.finished"}},
		{{Kind: "game.finished", ReportFormat: "inline"}},
		{{Kind: "game.turn.ready", ReportFormat: "pigeon"}},
	} {
		if _, err := e.svc.SetPreferences(ctx, ann, bad); !errs.Is(err, errs.InvalidArgument) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if _, err := e.svc.SetPreferences(ctx, ann, []notification.Preference{{Kind: "lobby.application.approved"}}); err != nil {
		t.Fatal(err)
	}
	linked, err := e.svc.SetPreferences(ctx, cid, []notification.Preference{{Kind: "game.turn.ready", Push: true, Email: true, ReportFormat: "link"}})
	if err != nil || !slices.ContainsFunc(linked, func(p notification.Preference) bool {
		return p.Kind == "game.turn.ready" && p.ReportFormat == "link"
	}) {
		t.Fatalf("report_format link: %+v %v", linked, err)
	}
	out, err := e.svc.SetPreferences(ctx, bob, []notification.Preference{{Kind: "lobby.application.approved", Push: true}})
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(out, func(p notification.Preference) bool { return p.Kind == "lobby.application.approved" }); out[i].Email {
		t.Fatalf("after PUT: %+v", out[i])
	}

	e.notify(t, approved("k", ann, bob, cid))
	channels := map[string][]string{}
	for _, r := range e.routes(t, "lobby.application.approved") {
		channels[r.UserID] = append(channels[r.UserID], r.Channel)
	}
	want := map[string][]string{bob: {"push"}, cid: {"email", "push"}}
	if !maps.EqualFunc(channels, want, slices.Equal) {
		t.Fatalf("routes: %v, want %v", channels, want)
	}
	if n := e.count(t, "SELECT count(*) FROM notifications WHERE user_id = $1", ann); n != 1 {
		t.Fatalf("ann's inbox without channels: %d", n)
	}
}

// TemplateKeys must match the mail templates: with them a template renders,
// and without any one of them it does not.
func TestTemplateKeysMatchTemplates(t *testing.T) {
	t.Parallel()
	catalog, err := mail.LoadCatalog("", "en")
	if err != nil {
		t.Fatal(err)
	}
	value := func(k string) any {
		switch k {
		case "winners":
			return []string{"Vogons"}
		case "survived":
			return true
		}
		return "x"
	}
	for kind, template := range notification.EmailTemplates {
		keys, ok := notification.TemplateKeys[template]
		if !ok || !catalog.Has(template) {
			t.Fatalf("%s: template %s has no key list or does not exist", kind, template)
		}
		data := map[string]any{}
		for _, k := range keys {
			data[k] = value(k)
		}
		if _, err := catalog.Render(template, "en", data); err != nil {
			t.Errorf("%s with %v: %v", template, keys, err)
		}
		for _, k := range keys {
			partial := maps.Clone(data)
			delete(partial, k)
			if _, err := catalog.Render(template, "en", partial); err == nil {
				t.Errorf("%s renders without %s: the key list names a key it does not need", template, k)
			}
		}
	}
}
