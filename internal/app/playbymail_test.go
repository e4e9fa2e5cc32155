package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/galaxy-platform/galaxy/internal/mail/inbound/mailtext"
	"github.com/galaxy-platform/galaxy/internal/mail/smtptest"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// pbm is a running game two players also play by mail, over the backend's
// real SMTP listener.
type pbm struct {
	r        *running
	admin    string
	gameID   string
	players  map[string]signedIn // by race name
	password map[string]string   // orders password by race name
	seq      int
}

var passwordRe = regexp.MustCompile(`Your orders password is ([a-z0-9]+)\.`)

func newPBM(t *testing.T) *pbm {
	t.Helper()
	r := startApp(t, testConfig(t))
	p := &pbm{r: r, admin: r.adminToken(t), players: map[string]signedIn{}, password: map[string]string{}}
	owner := r.signIn(t, "ann@example.com")
	p.players["Annites"], p.players["Bobites"] = owner, r.signIn(t, "bob@example.com")
	var g gameJSON
	if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games", owner.Token, newGameBody("public"), &g); code != http.StatusCreated {
		t.Fatalf("create: %d", code)
	}
	p.gameID = g.GameID
	for race, who := range p.players {
		var a appJSON
		if code, _ := r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications", who.Token,
			map[string]string{"race_name": race}, &a); code != http.StatusCreated {
			t.Fatalf("apply: %d", code)
		}
		r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/applications/"+a.ApplicationID+"/approve", owner.Token, nil, nil)
	}
	r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/close-enrollment", owner.Token, nil, nil)
	r.call(t, http.MethodPost, "/api/v1/user/games/"+g.GameID+"/start", owner.Token, nil, nil)
	waitRunning(t, r, p.admin, g.GameID)
	for race, who := range p.players {
		body := p.waitReply(t, who.User.Email, "has started", 0)
		m := passwordRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the game-started mail of %s has no orders password:\n%s", race, body)
		}
		p.password[race] = m[1]
	}
	return p
}

// send mails raw text from an address to the orders address and returns
// its Message-ID; the SMTP error, if any, is returned too.
func (p *pbm) send(t *testing.T, from, to, body string, messageID string) (string, error) {
	t.Helper()
	if messageID == "" {
		p.seq++
		messageID = fmt.Sprintf("m%d-%d@player.example", p.seq, time.Now().UnixNano())
	}
	raw := "From: " + from + "\r\nTo: " + to + "\r\nSubject: orders\r\nMessage-ID: <" + messageID + ">\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
	c, err := smtp.Dial(p.r.ep.SMTP.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return messageID, c.SendMail(from, []string{to}, strings.NewReader(raw))
}

// waitReply waits for a mail to email whose subject contains want, among
// the mails after the first `since`, and returns its decoded text.
func (p *pbm) waitReply(t *testing.T, email, want string, since int) string {
	t.Helper()
	return p.waitReplyWith(t, email, want, "", since)
}

// waitReplyWith is waitReply for a mail whose text also contains text:
// the replies to earlier mails may still be arriving.
func (p *pbm) waitReplyWith(t *testing.T, email, want, text string, since int) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		msgs := p.r.sink.Messages()
		for i := since; i < len(msgs); i++ {
			if m, ok := mailTo(msgs[i], email); ok && strings.Contains(m.Subject, want) && strings.Contains(m.Text, text) {
				return m.Text
			}
		}
	}
	t.Fatalf("no mail to %s about %q with %q", email, want, text)
	return ""
}

func mailTo(m smtptest.Message, email string) (mailtext.Message, bool) {
	if len(m.To) != 1 || !strings.EqualFold(m.To[0], email) {
		return mailtext.Message{}, false
	}
	out, err := mailtext.Extract(m.Raw)
	return out, err == nil
}

// inboundStatus waits until the inbound mail with messageID is processed
// and returns its status.
func (p *pbm) inboundStatus(t *testing.T, messageID string) string {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), p.r.cfg.Postgres.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var status string
		err := pool.QueryRow(context.Background(), `SELECT status FROM `+postgres.Schema+`.inbound_mails WHERE message_id = $1`,
			messageID).Scan(&status)
		if err == nil && status != "received" {
			return status
		}
	}
	t.Fatalf("inbound mail %s not processed", messageID)
	return ""
}

func (p *pbm) header(race string, extra string) string {
	return fmt.Sprintf("#GALAXY %s %s %s%s", p.gameID, race, p.password[race], extra)
}

// TestPlayByMail plays orders, reports and messages by mail over real SMTP,
// with what must be refused and what must act once.
func TestPlayByMail(t *testing.T) {
	t.Parallel()
	p := newPBM(t)
	ann, bob := p.players["Annites"], p.players["Bobites"]
	orders := "orders@" + p.r.cfg.Inbound.Domain

	t.Run("orders with one mistake are stored; the reply names its line and the forecast", func(t *testing.T) {
		since := p.r.sink.Count()
		body := "Dear GM,\n" + p.header("Annites", "") + "\nd Scout 1 0 0 0 0\nx nonsense here\n#END\n-- \nAnn\n"
		if _, err := p.send(t, ann.User.Email, orders, body, ""); err != nil {
			t.Fatal(err)
		}
		reply := p.waitReply(t, ann.User.Email, "Stored with 1 mistake", since)
		if !strings.Contains(reply, "line 4:") || !strings.Contains(reply, "after these orders") {
			t.Fatalf("the reply does not point at line 4 or lacks the forecast:\n%s", reply)
		}
		var stored struct {
			Text string `json:"text"`
		}
		if code, _ := p.r.call(t, http.MethodGet, "/api/v1/user/games/"+p.gameID+"/orders", ann.Token, nil, &stored); code != http.StatusOK ||
			!strings.Contains(stored.Text, "d Scout 1 0 0 0 0") {
			t.Fatalf("stored orders: %d %q", code, stored.Text)
		}
	})

	t.Run("a wrong password, a wrong sender and an unknown game change nothing", func(t *testing.T) {
		since := p.r.sink.Count()
		bad := fmt.Sprintf("#GALAXY %s Annites wrongpassword\nd Other 1 0 0 0 0\n#END\n", p.gameID)
		if _, err := p.send(t, ann.User.Email, orders, bad, ""); err != nil {
			t.Fatal(err)
		}
		p.waitReply(t, ann.User.Email, "not done", since)
		// Bob knows Ann's password but is not Ann.
		stolen := p.header("Annites", "") + "\nd Stolen 1 0 0 0 0\n#END\n"
		if _, err := p.send(t, bob.User.Email, orders, stolen, ""); err != nil {
			t.Fatal(err)
		}
		p.waitReply(t, bob.User.Email, "not done", since)
		unknown := fmt.Sprintf("#GALAXY nosuchgame Annites %s\n#END\n", p.password["Annites"])
		unknownID, err := p.send(t, ann.User.Email, orders, unknown, "")
		if err != nil {
			t.Fatal(err)
		}
		p.inboundStatus(t, unknownID)
		var stored struct {
			Text string `json:"text"`
		}
		p.r.call(t, http.MethodGet, "/api/v1/user/games/"+p.gameID+"/orders", ann.Token, nil, &stored)
		if strings.Contains(stored.Text, "Other") || strings.Contains(stored.Text, "Stolen") {
			t.Fatalf("a refused command changed the orders: %q", stored.Text)
		}
		// A stranger gets no reply at all.
		id, err := p.send(t, "stranger@example.com", orders, p.header("Annites", "")+"\n#END\n", "")
		if err != nil {
			t.Fatal(err)
		}
		if st := p.inboundStatus(t, id); st != "ignored" {
			t.Fatalf("a stranger's mail is %s, want ignored", st)
		}
		for _, m := range p.r.sink.Messages()[since:] {
			if strings.EqualFold(m.To[0], "stranger@example.com") {
				t.Fatal("a stranger got a reply")
			}
		}
	})

	t.Run("malformed commands get a reply naming their lines", func(t *testing.T) {
		since := p.r.sink.Count()
		body := "#FROBNICATE all the things\n#GALAXY " + p.gameID + "\n#END\n"
		if _, err := p.send(t, ann.User.Email, orders, body, ""); err != nil {
			t.Fatal(err)
		}
		// The reply names both lines (a reply to an earlier mail may still be on its way).
		reply := p.waitReplyWith(t, ann.User.Email, "not done", "line 2:", since)
		if !strings.Contains(reply, "line 1:") {
			t.Fatalf("the reply does not name line 1:\n%s", reply)
		}
	})

	t.Run("the same Message-ID twice acts once", func(t *testing.T) {
		since := p.r.sink.Count()
		body := p.header("Annites", "") + "\n; once\n#END\n"
		id, err := p.send(t, ann.User.Email, orders, body, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.send(t, ann.User.Email, orders, body, id); err != nil {
			t.Fatalf("the duplicate is refused instead of acknowledged: %v", err)
		}
		p.waitReply(t, ann.User.Email, "Stored", since)
		p.inboundStatus(t, id)
		time.Sleep(300 * time.Millisecond) // a second reply would come now
		n := 0
		for _, m := range p.r.sink.Messages()[since:] {
			if strings.Contains(m.Header.Get("In-Reply-To"), id) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d replies to one Message-ID sent twice, want 1", n)
		}
	})

	t.Run("other recipients and oversized mail are refused", func(t *testing.T) {
		_, err := p.send(t, ann.User.Email, "someone@"+p.r.cfg.Inbound.Domain, "hello", "")
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 550 {
			t.Fatalf("mail to another recipient: %v, want 550", err)
		}
		// A client announces the size (RFC 1870): 2 MiB is refused before
		// a byte of it is sent.
		c, err := smtp.Dial(p.r.ep.SMTP.String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		err = c.Mail(ann.User.Email, &smtp.MailOptions{Size: 2 << 20})
		if !errors.As(err, &se) || se.Code != 552 {
			t.Fatalf("a 2 MiB mail: %v, want 552", err)
		}
	})

	t.Run("the providers' webhook takes a raw message once, and refuses 2 MiB", func(t *testing.T) {
		since := p.r.sink.Count()
		p.seq++
		id := fmt.Sprintf("hook%d@provider.example", p.seq)
		raw := []byte("From: " + ann.User.Email + "\r\nTo: " + orders + "\r\nSubject: by webhook\r\nMessage-ID: <" + id + ">\r\n\r\n" +
			fmt.Sprintf("#REPORT %s Annites %s\r\n", p.gameID, p.password["Annites"]))
		post := func(body []byte) (int, struct {
			InboundID string `json:"inbound_id"`
			Duplicate bool   `json:"duplicate"`
		}) {
			req, _ := http.NewRequest(http.MethodPost, p.r.base+"/api/v1/internal/mail/inbound", bytes.NewReader(body))
			req.Header.Set("Content-Type", "message/rfc822")
			req.Header.Set("Authorization", "Bearer "+p.r.cfg.InternalToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out struct {
				InboundID string `json:"inbound_id"`
				Duplicate bool   `json:"duplicate"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&out)
			return resp.StatusCode, out
		}
		code, first := post(raw)
		if code != http.StatusAccepted || first.Duplicate || first.InboundID == "" {
			t.Fatalf("webhook: %d %+v", code, first)
		}
		if code, again := post(raw); code != http.StatusAccepted || !again.Duplicate || again.InboundID != first.InboundID {
			t.Fatalf("the same message again: %d %+v, want the first id as a duplicate", code, again)
		}
		p.waitReply(t, ann.User.Email, "the Annites in", since)
		if code, _ := post(bytes.Repeat([]byte("x"), 2<<20)); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("a 2 MiB message: %d, want 413", code)
		}
		// The operator sees the mail, its outcome, and never the password.
		var got struct {
			Outcome string `json:"outcome"`
			Text    string `json:"text"`
		}
		for deadline := time.Now().Add(10 * time.Second); got.Outcome == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			p.r.call(t, http.MethodGet, "/api/v1/admin/mail/inbound/"+first.InboundID, p.admin, nil, &got)
		}
		if !strings.Contains(got.Outcome, "#REPORT") || strings.Contains(got.Text, p.password["Annites"]) || !strings.Contains(got.Text, "********") {
			t.Fatalf("the operator's view: %+v", got)
		}
	})

	t.Run("FINALORDERS from every player runs the turn; #REPORT returns it", func(t *testing.T) {
		// Bob wants his turn reports attached rather than in the body.
		prefs := map[string]any{"items": []map[string]any{{"kind": "game.turn.ready", "push": true, "email": true,
			"report_format": "attachment"}}}
		if code, _ := p.r.call(t, http.MethodPut, "/api/v1/user/notification-preferences", bob.Token, prefs, nil); code != http.StatusOK {
			t.Fatalf("preferences: %d", code)
		}
		turnMails := p.r.sink.Count()
		for race, who := range p.players {
			if _, err := p.send(t, who.User.Email, orders, p.header(race, " FINALORDERS")+"\nd Mailship 1 0 0 0 0\n#END\n", ""); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			var g gameJSON
			p.r.call(t, http.MethodGet, "/api/v1/user/games/"+p.gameID, ann.Token, nil, &g)
			if g.CurrentTurn == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("final orders by mail did not run the turn early")
			}
			time.Sleep(50 * time.Millisecond)
		}
		// The turn mail carries the report: in Ann's body, attached to Bob's.
		var rep struct {
			Text string `json:"text"`
		}
		p.r.call(t, http.MethodGet, "/api/v1/user/games/"+p.gameID+"/reports/1", ann.Token, nil, &rep)
		if !strings.Contains(rep.Text, "Mailship") {
			t.Fatalf("the orders sent by mail did not run in turn 1:\n%s", rep.Text)
		}
		firstLine, _, _ := strings.Cut(strings.TrimSpace(rep.Text), "\n")
		if body := p.waitReply(t, ann.User.Email, "turn 1 report", turnMails); firstLine == "" || !strings.Contains(body, firstLine) {
			t.Fatalf("Ann's turn mail lacks her report (%q):\n%s", firstLine, body)
		}
		p.waitReply(t, bob.User.Email, "turn 1 report", turnMails)
		attached := false
		for _, m := range p.r.sink.Messages()[turnMails:] {
			if strings.EqualFold(m.To[0], bob.User.Email) && strings.Contains(string(m.Raw), `filename="Bobites-turn-1.txt"`) {
				attached = true
			}
		}
		if !attached {
			t.Fatal("Bob's turn mail has no report attached")
		}

		// Orders for a turn that already ran are not stored, and the reply says so.
		since := p.r.sink.Count()
		if _, err := p.send(t, ann.User.Email, orders, p.header("Annites", " 1")+"\n; late\n#END\n", ""); err != nil {
			t.Fatal(err)
		}
		if late := p.waitReply(t, ann.User.Email, "Not stored", since); !strings.Contains(late, "already ran") {
			t.Fatalf("the reply to orders for a past turn:\n%s", late)
		}

		since = p.r.sink.Count()
		req := fmt.Sprintf("#REPORT %s Annites %s\n", p.gameID, p.password["Annites"])
		if _, err := p.send(t, ann.User.Email, orders, req, ""); err != nil {
			t.Fatal(err)
		}
		if report := p.waitReply(t, ann.User.Email, "Report of turn 1", since); !strings.Contains(report, "Annites") {
			t.Fatalf("the report by mail:\n%s", report)
		}
	})

	t.Run("#RELAY reaches the other player without the sender's address", func(t *testing.T) {
		since := p.r.sink.Count()
		msg := fmt.Sprintf("#RELAY %s Annites %s Bobites\nShall we share the nebula?\n#END\n", p.gameID, p.password["Annites"])
		if _, err := p.send(t, ann.User.Email, orders, msg, ""); err != nil {
			t.Fatal(err)
		}
		got := p.waitReply(t, bob.User.Email, "a message from the Annites", since)
		if !strings.Contains(got, "Shall we share the nebula?") || strings.Contains(got, ann.User.Email) {
			t.Fatalf("the relayed mail:\n%s", got)
		}
		p.waitReply(t, ann.User.Email, "Message relayed to Bobites", since)
		var inbox struct {
			Items []struct {
				FromRace string `json:"from_race"`
				Body     string `json:"body"`
			} `json:"items"`
		}
		if code, _ := p.r.call(t, http.MethodGet, "/api/v1/user/games/"+p.gameID+"/messages", bob.Token, nil, &inbox); code != http.StatusOK ||
			len(inbox.Items) != 1 || inbox.Items[0].FromRace != "Annites" {
			t.Fatalf("Bob's game messages: %d %+v", code, inbox.Items)
		}
	})
}
