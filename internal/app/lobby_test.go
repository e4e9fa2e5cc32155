package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

type gameJSON struct {
	GameID        string `json:"game_id"`
	Status        string `json:"status"`
	ApprovedCount int    `json:"approved_count"`
	CurrentTurn   int    `json:"current_turn"`
}

type appJSON struct {
	ApplicationID string `json:"application_id"`
	Status        string `json:"status"`
}

func newGameBody(visibility string) map[string]any {
	return map[string]any{
		"name": "Andromeda", "description": "a test galaxy", "visibility": visibility,
		"min_players": 2, "max_players": 4, "enrollment_ends_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		"turn_schedule": "0 18 * * *", "settings": map[string]any{"max_turns": 50},
	}
}

func TestLobbyEndToEnd(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	var lob *lobby.Service
	r := startAppWith(t, cfg, func(o *Options) { o.onLobby = func(s *lobby.Service) { lob = s } })
	ann := r.signIn(t, "ann@example.com")
	bob := r.signIn(t, "bob@example.com")
	cid := r.signIn(t, "cid@example.com")
	ctx := context.Background()

	var pub gameJSON
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", ann.Token, newGameBody("public"), &pub); code != http.StatusCreated || pub.Status != "enrollment_open" {
		t.Fatalf("create: %d %+v", code, pub)
	}
	apply := func(s signedIn, race string) appJSON {
		var a appJSON
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+pub.GameID+"/applications", s.Token, map[string]string{"race_name": race}, &a); code != http.StatusCreated {
			t.Fatalf("apply %s: %d", race, code)
		}
		return a
	}
	aAnn, aBob, aCid := apply(ann, "Vogons"), apply(bob, "Klingons"), apply(cid, "Romulans")

	t.Run("a taken name is refused, whatever its spelling", func(t *testing.T) {
		var g2 gameJSON
		r.call(t, http.MethodPost, "/api/v1/user/games", cid.Token, newGameBody("public"), &g2)
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+g2.GameID+"/applications", cid.Token, map[string]string{"race_name": "V0GONS"}, nil); code != http.StatusConflict {
			t.Fatalf("%d", code)
		}
	})

	for _, a := range []appJSON{aAnn, aBob} {
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+pub.GameID+"/applications/"+a.ApplicationID+"/approve", ann.Token, nil, nil); code != http.StatusOK {
			t.Fatalf("approve: %d", code)
		}
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+pub.GameID+"/applications/"+aCid.ApplicationID+"/reject", ann.Token, nil, nil); code != http.StatusOK {
		t.Fatalf("reject: %d", code)
	}

	t.Run("an approved applicant finds the approval in the inbox", func(t *testing.T) {
		type item struct {
			NotificationID string         `json:"notification_id"`
			Kind           string         `json:"kind"`
			Payload        map[string]any `json:"payload"`
			ReadAt         *time.Time     `json:"read_at"`
		}
		var inbox struct {
			Items []item `json:"items"`
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/notifications?unread=true", bob.Token, nil, &inbox); code != http.StatusOK {
			t.Fatalf("notifications: %d", code)
		}
		i := slices.IndexFunc(inbox.Items, func(n item) bool { return n.Kind == "lobby.application.approved" })
		if i < 0 || inbox.Items[i].Payload["game_id"] != pub.GameID || inbox.Items[i].Payload["race_name"] != "Klingons" {
			t.Fatalf("bob's inbox: %+v", inbox.Items)
		}
		var read item
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/notifications/"+inbox.Items[i].NotificationID+"/read", bob.Token, nil, &read); code != http.StatusOK || read.ReadAt == nil {
			t.Fatalf("read: %d %+v", code, read)
		}
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/notifications/"+inbox.Items[i].NotificationID+"/read", cid.Token, nil, nil); code != http.StatusNotFound {
			t.Fatalf("reading someone else's notification: %d", code)
		}
		var all struct {
			Updated int `json:"updated"`
		}
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/notifications/read-all", bob.Token, nil, &all); code != http.StatusOK || all.Updated != len(inbox.Items)-1 {
			t.Fatalf("read-all: %d %+v (inbox had %d)", code, all, len(inbox.Items))
		}
		var prefs struct {
			Items []struct {
				Kind        string
				Push, Email bool
			} `json:"items"`
		}
		if code, _ := r.call(t, http.MethodPut, "/api/v1/user/notification-preferences", cid.Token,
			map[string]any{"items": []map[string]any{{"kind": "lobby.game.started", "push": true, "email": false}}}, &prefs); code != http.StatusOK || len(prefs.Items) == 0 {
			t.Fatalf("put preferences: %d %+v", code, prefs)
		}
		if code, _ := r.call(t, http.MethodPut, "/api/v1/user/notification-preferences", cid.Token,
			map[string]any{"items": []map[string]any{{"kind": "no.such.kind", "push": true, "email": false}}}, nil); code != http.StatusBadRequest {
			t.Fatalf("an unknown kind: %d", code)
		}
	})
	var avail struct {
		Available bool `json:"available"`
	}
	r.call(t, http.MethodGet, "/api/v1/public/race-names/Romulans", "", nil, &avail)
	if !avail.Available {
		t.Fatal("a rejected applicant's race name was not released")
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+pub.GameID+"/applications/"+aCid.ApplicationID+"/approve", bob.Token, nil, nil); code != http.StatusForbidden {
		t.Fatalf("a non-owner approving: %d", code)
	}

	var g gameJSON
	var early struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if code, _ := r.call(t, http.MethodPut, "/api/v1/user/games/"+pub.GameID+"/orders", bob.Token,
		map[string]any{"turn": 1, "text": "d Scout 1 0 0 0 0"}, &early); code != http.StatusConflict || early.Error.Code != "failed_precondition" {
		t.Fatalf("orders before the start: %d %+v", code, early)
	}
	if code, _ := r.call(t, http.MethodPut, "/api/v1/user/games/"+pub.GameID+"/orders", cid.Token,
		map[string]any{"turn": 1, "text": "d Scout 1 0 0 0 0"}, nil); code != http.StatusNotFound {
		t.Fatalf("a stranger's orders before the start: %d", code)
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+pub.GameID+"/close-enrollment", ann.Token, nil, &g); code != http.StatusOK || g.Status != "ready" || g.ApprovedCount != 2 {
		t.Fatalf("close: %d %+v", code, g)
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+pub.GameID+"/start", ann.Token, nil, &g); code != http.StatusAccepted || g.Status != "starting" {
		t.Fatalf("start: %d %+v", code, g)
	}
	// The runtime starts an in-process engine and reports the game running.
	for deadline := time.Now().Add(30 * time.Second); g.Status != "running"; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the game never started: %+v", g)
		}
		r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID, bob.Token, nil, &g)
	}

	t.Run("play: orders with mistakes, ten forced turns, each race's own report", func(t *testing.T) {
		var res struct {
			Accepted bool `json:"accepted"`
			Errors   []struct {
				Line    int    `json:"line"`
				Message string `json:"message"`
			} `json:"errors"`
			Forecast string `json:"forecast"`
		}
		for _, bad := range []map[string]any{{"turn": -1, "text": "x"}, {"turn": 0, "text": "x"}, {"text": "x"}, {"turn": 1}} {
			if code, _ := r.call(t, http.MethodPut, "/api/v1/user/games/"+pub.GameID+"/orders", bob.Token, bad, nil); code != http.StatusBadRequest {
				t.Fatalf("orders %v: %d, want 400", bad, code)
			}
		}
		code, _ := r.call(t, http.MethodPut, "/api/v1/user/games/"+pub.GameID+"/orders", bob.Token,
			map[string]any{"turn": 1, "text": "d Scout 1 0 0 0 0\nzz nonsense order"}, &res)
		if code != http.StatusOK || !res.Accepted || len(res.Errors) == 0 || res.Errors[0].Line != 2 {
			t.Fatalf("orders with a mistake (stored, line 2 will not run): %d %+v", code, res)
		}
		var stored struct {
			Turn     int    `json:"turn"`
			Text     string `json:"text"`
			Accepted bool   `json:"accepted"`
			Final    bool   `json:"final"`
			Errors   []struct {
				Line int `json:"line"`
			} `json:"errors"`
			SubmittedAt time.Time `json:"submitted_at"`
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/orders", bob.Token, nil, &stored); code != http.StatusOK ||
			stored.Turn != 1 || !stored.Accepted || len(stored.Errors) == 0 || stored.Errors[0].Line != 2 || stored.SubmittedAt.IsZero() {
			t.Fatalf("the stored set with its mistakes: %d %+v", code, stored)
		}
		// A live check answers the verdict and stores nothing.
		code, _ = r.call(t, http.MethodPost, "/api/v1/user/games/"+pub.GameID+"/orders/check", bob.Token,
			map[string]any{"text": "d Scout 1 0 0 0 0"}, &res)
		if code != http.StatusOK || !res.Accepted || res.Forecast == "" {
			t.Fatalf("check: %d %+v", code, res)
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/orders?turn=1", bob.Token, nil, &stored); code != http.StatusOK ||
			!strings.Contains(stored.Text, "zz nonsense order") || len(stored.Errors) == 0 {
			t.Fatalf("a check replaced the stored set: %d %+v", code, stored)
		}
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+pub.GameID+"/orders/check", cid.Token,
			map[string]any{"text": "d Scout 1 0 0 0 0"}, nil); code != http.StatusForbidden {
			t.Fatalf("a non-member checked orders: %d", code)
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/orders", ann.Token, nil, nil); code != http.StatusNotFound {
			t.Fatalf("orders never sent: %d", code)
		}
		code, _ = r.call(t, http.MethodPut, "/api/v1/user/games/"+pub.GameID+"/orders", bob.Token,
			map[string]any{"turn": 1, "text": "d Scout 1 0 0 0 0"}, &res)
		if code != http.StatusOK || !res.Accepted || res.Forecast == "" {
			t.Fatalf("good orders: %d %+v", code, res)
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/orders?turn=1", bob.Token, nil, &stored); code != http.StatusOK ||
			!stored.Accepted || stored.Text != "d Scout 1 0 0 0 0" || len(stored.Errors) != 0 {
			t.Fatalf("the stored good set: %d %+v", code, stored)
		}
		// A gateway watches the push stream while the turn runs.
		conn, err := grpc.NewClient(r.ep.Push.String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		sctx, cancel := context.WithTimeout(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+cfg.Push.Token), 30*time.Second)
		defer cancel()
		stream, err := pushpb.NewPushClient(conn).SubscribePush(sctx, &pushpb.SubscribePushRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := stream.Recv(); err != nil { // the initial resync
			t.Fatal(err)
		}

		// Readiness: who has sent orders, never what.
		var ready struct {
			Turn  int `json:"turn"`
			Items []struct {
				RaceName  string `json:"race_name"`
				Submitted bool   `json:"submitted"`
				Final     bool   `json:"final"`
			} `json:"items"`
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/readiness", ann.Token, nil, &ready); code != http.StatusOK ||
			ready.Turn != 1 || len(ready.Items) != 2 || ready.Items[0].RaceName != "Klingons" || !ready.Items[0].Submitted ||
			ready.Items[0].Final || ready.Items[1].Submitted {
			t.Fatalf("readiness: %d %+v", code, ready)
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/readiness", cid.Token, nil, nil); code != http.StatusNotFound {
			t.Fatalf("a stranger read the readiness: %d", code)
		}
		if code, _ := r.call(t, http.MethodPut, "/api/v1/user/games/"+pub.GameID+"/orders", ann.Token,
			map[string]any{"turn": 1, "text": "d Probe 1 0 0 0 0"}, nil); code != http.StatusOK {
			t.Fatalf("Ann's orders: %d", code)
		}
		for told := map[string]bool{}; !told[ann.User.UserID] || !told[bob.User.UserID]; {
			ev, err := stream.Recv()
			if err != nil {
				t.Fatalf("push stream: %v", err)
			}
			if ev.GetKind() != "game.readiness.changed" {
				continue
			}
			if strings.Contains(string(ev.GetPayload()), "Probe") || !strings.Contains(string(ev.GetPayload()), `"race_name":"Vogons","submitted":true`) {
				t.Fatalf("readiness event: %s", ev.GetPayload())
			}
			for _, id := range ev.GetUserIds() {
				told[id] = true
			}
		}

		admin := r.adminToken(t)
		var after gameJSON
		if code, _ := r.call(t, http.MethodPost, "/api/v1/admin/games/"+pub.GameID+"/force-next-turn", admin, nil, &after); code != http.StatusOK {
			t.Fatalf("force-next-turn: %d", code)
		}
		var rep struct {
			Turn     int    `json:"turn"`
			RaceName string `json:"race_name"`
			Text     string `json:"text"`
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/reports/latest", bob.Token, nil, &rep); code != http.StatusOK || rep.Turn != 1 || rep.RaceName != "Klingons" || rep.Text == "" {
			t.Fatalf("report: %d %+v", code, rep)
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/reports/0", ann.Token, nil, &rep); code != http.StatusOK || rep.RaceName != "Vogons" {
			t.Fatalf("Ann's turn-0 report: %d %+v", code, rep)
		}
		if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/reports/latest", cid.Token, nil, nil); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("a non-member read a report: %d", code)
		}
		if code, _ := r.call(t, http.MethodPut, "/api/v1/user/games/"+pub.GameID+"/orders", bob.Token,
			map[string]any{"turn": 1, "text": "d Scout 1 0 0 0 0"}, nil); code != http.StatusConflict {
			t.Fatalf("orders for a turn already run: %d", code)
		}
		// The turn reached every race: push stream, inbox, and mail.
		for pushed := map[string]bool{}; !pushed[ann.User.UserID] || !pushed[bob.User.UserID]; {
			ev, err := stream.Recv()
			if err != nil {
				t.Fatalf("push stream: %v (saw %v)", err, pushed)
			}
			if ev.GetKind() == "game.turn.ready" {
				for _, u := range ev.GetUserIds() {
					pushed[u] = true
				}
			}
		}
		var inbox struct {
			Items []struct {
				Kind string `json:"kind"`
			} `json:"items"`
		}
		r.call(t, http.MethodGet, "/api/v1/user/notifications", ann.Token, nil, &inbox)
		kinds := map[string]bool{}
		for _, n := range inbox.Items {
			kinds[n.Kind] = true
		}
		if !kinds["game.turn.ready"] || !kinds["lobby.game.started"] {
			t.Fatalf("Ann's inbox: %v", kinds)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			found := false
			for _, m := range r.sink.Messages() {
				found = found || (strings.Contains(m.Header.Get("Subject"), "turn 1 report for the Vogons"))
			}
			if found {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no turn-ready mail for Ann")
			}
		}

		// Nine more turns, each race ordering and reading its own report.
		const lastTurn = 10
		for turn := 2; turn <= lastTurn; turn++ {
			for _, p := range []struct {
				who  signedIn
				race string
			}{{ann, "Vogons"}, {bob, "Klingons"}} {
				text := fmt.Sprintf("d Ship%d 1 0 0 0 0", turn)
				if code, _ := r.call(t, http.MethodPut, "/api/v1/user/games/"+pub.GameID+"/orders", p.who.Token,
					map[string]any{"turn": turn, "text": text}, &res); code != http.StatusOK || !res.Accepted {
					t.Fatalf("turn %d, %s's orders: %d %+v", turn, p.race, code, res)
				}
			}
			if code, _ := r.call(t, http.MethodPost, "/api/v1/admin/games/"+pub.GameID+"/force-next-turn", admin, nil, nil); code != http.StatusOK {
				t.Fatalf("force turn %d: %d", turn, code)
			}
			for _, p := range []struct {
				who  signedIn
				race string
			}{{ann, "Vogons"}, {bob, "Klingons"}} {
				if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/reports/latest", p.who.Token, nil, &rep); code != http.StatusOK ||
					rep.Turn != turn || rep.RaceName != p.race || !strings.Contains(rep.Text, fmt.Sprintf("Ship%d", turn)) {
					t.Fatalf("turn %d, %s's report: %d turn %d race %s", turn, p.race, code, rep.Turn, rep.RaceName)
				}
			}
		}

		var turns struct {
			Items []struct {
				Turn int `json:"turn"`
			} `json:"items"`
		}
		r.call(t, http.MethodGet, "/api/v1/user/games/"+pub.GameID+"/turns", ann.Token, nil, &turns)
		if len(turns.Items) != lastTurn || turns.Items[len(turns.Items)-1].Turn != lastTurn {
			t.Fatalf("turns: %+v", turns)
		}
	})

	// A private game filled by invitation.
	var priv gameJSON
	r.call(t, http.MethodPost, "/api/v1/user/games", bob.Token, newGameBody("private"), &priv)
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+priv.GameID+"/applications", cid.Token, map[string]string{"race_name": "Borg"}, nil); code != http.StatusForbidden {
		t.Fatalf("applying to a private game: %d", code)
	}
	if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+priv.GameID, cid.Token, nil, nil); code != http.StatusNotFound {
		t.Fatalf("an uninvited user sees a private game: %d", code)
	}
	var inv struct {
		InviteID string `json:"invite_id"`
		Status   string `json:"status"`
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+priv.GameID+"/invites", bob.Token, map[string]string{"email": "nobody@example.com"}, nil); code != http.StatusNotFound {
		t.Fatalf("invite to an address nobody signed in with: %d", code)
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+priv.GameID+"/invites", bob.Token, map[string]string{}, nil); code != http.StatusBadRequest {
		t.Fatalf("invite naming nobody: %d", code)
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+priv.GameID+"/invites", bob.Token,
		map[string]string{"email": strings.ToUpper(cid.User.Email)}, &inv); code != http.StatusCreated || inv.Status != "created" {
		t.Fatalf("invite by email: %d %+v", code, inv)
	}
	var sent struct {
		Items []struct {
			InviteID           string `json:"invite_id"`
			Status             string `json:"status"`
			InviteeDisplayName string `json:"invitee_display_name"`
		} `json:"items"`
	}
	if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+priv.GameID+"/invites", bob.Token, nil, &sent); code != http.StatusOK ||
		len(sent.Items) != 1 || sent.Items[0].InviteID != inv.InviteID || sent.Items[0].InviteeDisplayName == "" {
		t.Fatalf("the owner's invites: %d %+v", code, sent)
	}
	if code, _ := r.call(t, http.MethodGet, "/api/v1/user/games/"+priv.GameID+"/invites", cid.Token, nil, nil); code != http.StatusForbidden && code != http.StatusNotFound {
		t.Fatalf("the invitee read the owner's invites: %d", code)
	}
	var list struct {
		Items []struct {
			InviteID string `json:"invite_id"`
		} `json:"items"`
	}
	r.call(t, http.MethodGet, "/api/v1/user/invites", cid.Token, nil, &list)
	if len(list.Items) != 1 || list.Items[0].InviteID != inv.InviteID {
		t.Fatalf("invites: %+v", list)
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/invites/"+inv.InviteID+"/accept", cid.Token, map[string]string{"race_name": "Borg"}, &inv); code != http.StatusOK || inv.Status != "accepted" {
		t.Fatalf("accept: %d %+v", code, inv)
	}
	var members struct {
		Items []struct {
			UserID, RaceName, Status string
		} `json:"items"`
	}
	r.call(t, http.MethodGet, "/api/v1/user/games/"+priv.GameID+"/members", cid.Token, nil, &members)
	if len(members.Items) != 1 {
		t.Fatalf("members: %+v", members)
	}

	// Bob is blocked for good: the cascade releases what he held.
	admin := r.adminToken(t)
	var dead struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if code, _ := r.call(t, http.MethodGet, "/api/v1/admin/notifications/dead-letters", admin, nil, &dead); code != http.StatusOK {
		t.Fatalf("dead letters: %d", code)
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/admin/notifications/dead-letters/nrt_nope/replay", admin, nil, nil); code != http.StatusNotFound {
		t.Fatalf("replaying an unknown dead letter: %d", code)
	}
	if code, _ := r.call(t, http.MethodGet, "/api/v1/admin/notifications/dead-letters", bob.Token, nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("a user token on the admin API: %d", code)
	}
	if code, _ := r.call(t, http.MethodPost, "/api/v1/admin/users/"+bob.User.UserID+"/block", admin, map[string]any{"reason": "abuse", "permanent": true}, nil); code != http.StatusOK {
		t.Fatalf("block: %d", code)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		r.call(t, http.MethodGet, "/api/v1/user/games/"+priv.GameID, cid.Token, nil, &g)
		if g.Status == "cancelled" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cascade did not cancel Bob's game: %+v", g)
		}
	}
	pool := pgtest.PoolFor(t, cfg.Postgres.DSN)
	var status string
	if err := pool.QueryRow(ctx, "SELECT status FROM memberships WHERE game_id = $1 AND user_id = $2", pub.GameID, bob.User.UserID).Scan(&status); err != nil || status != "blocked" {
		t.Fatalf("Bob's membership: %q %v", status, err)
	}
	r.call(t, http.MethodGet, "/api/v1/public/race-names/Klingons", "", nil, &avail)
	if !avail.Available {
		t.Fatal("Bob's race name was not released")
	}
	if n, err := lob.Cascade(ctx, bob.User.UserID); err != nil || n != 0 {
		t.Fatalf("a second cascade changed %d things (%v)", n, err)
	}

	// Every change above recorded its domain event in the same transaction.
	rows, err := pool.Query(ctx, "SELECT DISTINCT type FROM outbox_events")
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for rows.Next() {
		var ty string
		_ = rows.Scan(&ty)
		types[ty] = true
	}
	for _, want := range []string{"user.registered.v1", "user.blocked.v1", "game.created.v1", "game.status_changed.v1",
		"game.started.v1", "game.turn_completed.v1", "game.finished.v1", "membership.changed.v1"} {
		if !types[want] {
			t.Errorf("no %s event in the outbox (have %v)", want, types)
		}
	}
	var carrier string
	if err := pool.QueryRow(ctx, "SELECT trace_carrier::text FROM outbox_events WHERE type = 'game.created.v1' LIMIT 1").Scan(&carrier); err != nil || !strings.Contains(carrier, "traceparent") {
		t.Errorf("the request's trace was not stored with the event: %q %v", carrier, err)
	}
}
