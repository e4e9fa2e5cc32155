package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/config"
	"github.com/galaxy-platform/galaxy/internal/mail/smtptest"
	"github.com/galaxy-platform/galaxy/internal/telemetry"
)

const (
	testAdminUser     = "root"
	testAdminPassword = "correct horse battery staple"
)

// running is a backend started for one test.
type running struct {
	base string
	cfg  *config.Config
	sink *smtptest.Server
	ep   Endpoints
}

// startApp runs a full backend (real Postgres, real SMTP sink) until the
// test ends. Two calls with the same DSN make two replicas of one database.
func startApp(t testing.TB, cfg *config.Config) *running {
	t.Helper()
	return startAppWith(t, cfg, nil)
}

// startAppWith is startApp with a hook on the options (test seams).
func startAppWith(t testing.TB, cfg *config.Config, mutate func(*Options)) *running {
	t.Helper()
	sink, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sink.Close() })
	return startReplicaWith(t, cfg, sink, mutate)
}

// startReplica runs a backend mailing into an existing sink (replicas of
// one database must share it: any of them may send a given mail).
func startReplica(t testing.TB, cfg *config.Config, sink *smtptest.Server) *running {
	t.Helper()
	return startReplicaWith(t, cfg, sink, nil)
}

func startReplicaWith(t testing.TB, cfg *config.Config, sink *smtptest.Server, mutate func(*Options)) *running {
	t.Helper()
	cfg.Mail.SMTPMode = config.SMTPModeSMTP
	cfg.Mail.SMTPAddr = sink.Addr()
	cfg.Mail.RetryBaseDelay = 50 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan Endpoints, 1)
	done := make(chan error, 1)
	opts := Options{
		OnReady:  func(ep Endpoints) { ready <- ep },
		DevAdmin: &DevAdmin{Username: testAdminUser, Password: testAdminPassword},
	}
	if mutate != nil {
		mutate(&opts)
	}
	go func() { done <- New(cfg, telemetry.NewLogger(io.Discard, "error"), opts).Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	select {
	case ep := <-ready:
		return &running{base: "http://" + ep.HTTP.String(), cfg: cfg, sink: sink, ep: ep}
	case err := <-done:
		t.Fatalf("backend did not start: %v", err)
	}
	return nil
}

// call sends a JSON request and decodes a JSON answer into out (when not nil).
func (r *running) call(t testing.TB, method, path, token string, body any, out any) (int, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, r.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, resp.Header
}

var codeRe = regexp.MustCompile(`code: (\d{6})`)

// codeSince waits for the sign-in mail to email among the mails after the
// first `since` the sink received, and reads the code from it: other mail
// (turns, reminders) may arrive meanwhile, and an older sign-in mail holds a
// spent code.
func (r *running) codeSince(t testing.TB, email string, since int) string {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		msgs := r.sink.Messages()
		for i := len(msgs) - 1; i >= since; i-- {
			if len(msgs[i].To) == 1 && strings.EqualFold(msgs[i].To[0], email) {
				if m := codeRe.FindStringSubmatch(msgs[i].Header.Get("Subject")); m != nil {
					return m[1]
				}
			}
		}
	}
	t.Fatalf("no sign-in mail for %s", email)
	return ""
}

// waitMail waits for a mail to email whose subject contains want.
func (r *running) waitMail(t testing.TB, email, want string) {
	t.Helper()
	var dec mime.WordDecoder
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, m := range r.sink.Messages() {
			subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
			if err == nil && len(m.To) == 1 && strings.EqualFold(m.To[0], email) && strings.Contains(subject, want) {
				return
			}
		}
	}
	t.Fatalf("no mail to %s about %q", email, want)
}

type signedIn struct {
	Token     string `json:"token"`
	SessionID string `json:"session_id"`
	User      struct {
		UserID string `json:"user_id"`
		Email  string `json:"email"`
	} `json:"user"`
}

// requestCode asks for a sign-in code and reads it from the mail that
// arrives for it.
func (r *running) requestCode(t testing.TB, email string) (challengeID, code string) {
	t.Helper()
	before := r.sink.Count()
	var ch struct {
		ChallengeID string `json:"challenge_id"`
	}
	if status, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/login-codes", "", map[string]string{"email": email}, &ch); status != http.StatusAccepted {
		t.Fatalf("login-codes: %d", status)
	}
	return ch.ChallengeID, r.codeSince(t, email, before)
}

// signIn walks the whole email-code flow and returns the session.
func (r *running) signIn(t testing.TB, email string) signedIn {
	t.Helper()
	challengeID, c := r.requestCode(t, email)
	var s signedIn
	code, _ := r.call(t, http.MethodPost, "/api/v1/public/auth/sessions", "",
		map[string]string{"challenge_id": challengeID, "code": c}, &s)
	if code != http.StatusCreated || !strings.HasPrefix(s.Token, "gxu_") {
		t.Fatalf("sessions: %d %+v", code, s)
	}
	return s
}

// adminToken signs the test admin in.
func (r *running) adminToken(t testing.TB) string {
	t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	code, _ := r.call(t, http.MethodPost, "/api/v1/admin/auth/sessions", "",
		map[string]string{"username": testAdminUser, "password": testAdminPassword}, &out)
	if code != http.StatusCreated || !strings.HasPrefix(out.Token, "gxa_") {
		t.Fatalf("admin sign-in: %d", code)
	}
	return out.Token
}
