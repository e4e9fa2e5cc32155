package inbound

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/lobby"
	"github.com/galaxy-platform/galaxy/internal/lobby/lobbystore"
	"github.com/galaxy-platform/galaxy/internal/mail"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound/commands"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound/inboundstore"
	"github.com/galaxy-platform/galaxy/internal/mail/inbound/mailtext"
	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/runtime"
)

// Deps are the services commands run through: the very ones behind the
// HTTP API, so a command by mail is checked exactly as its API twin.
type Deps struct {
	Lobby  Lobby
	Play   Play
	Mailer Mailer
	Notify lobby.Notifier
}

// Lobby is what commands need of the lobby.
type Lobby interface {
	AuthenticateMailMember(ctx context.Context, userID, gameRef, raceName, password string) (lobby.MailMember, error)
	ActiveRaces(ctx context.Context, gameID string) ([]lobbystore.ListActiveRacesRow, error)
}

// Play is what commands need of the runtime.
type Play interface {
	Record(ctx context.Context, gameID string) (runtime.Record, error)
	SubmitOrders(ctx context.Context, gameID, userID string, turn int, text string, final bool) (runtime.OrdersResult, error)
	Reports(ctx context.Context, gameID, userID string, turn int) (runtime.Report, error)
}

// Mailer sends the replies.
type Mailer interface {
	EnqueueTx(ctx context.Context, tx pgx.Tx, req mail.Request) (mail.Result, error)
}

// ProcessArgs is the mail.inbound job: process one stored inbound mail.
type ProcessArgs struct {
	InboundID string `json:"inbound_id"`
}

// Kind implements river.JobArgs.
func (ProcessArgs) Kind() string { return "mail.inbound" }

type processWorker struct {
	river.WorkerDefaults[ProcessArgs]
	s *Service
}

// Work processes the mail unless a previous attempt finished it.
func (w *processWorker) Work(ctx context.Context, job *river.Job[ProcessArgs]) error {
	return w.s.Process(ctx, job.Args.InboundID)
}

// Reply templates.
const (
	TemplateOrdersChecked   = "orders.checked"
	TemplateReportRequested = "report.requested"
	TemplateRelayDelivered  = "relay.delivered"
	TemplateCommandRefused  = "command.refused"
)

// KindMessageReceived is the notification of a relayed message.
const KindMessageReceived = "game.message.received"

// sender is the account an inbound mail came from.
type sender struct {
	userID, email string
}

// Process runs the commands of one inbound mail and replies to each. It is
// safe to run again: a finished mail is left alone, and every effect is
// keyed by the mail and the command's position (orders are stored, not
// added; replies and relayed copies carry idempotency keys).
func (s *Service) Process(ctx context.Context, inboundID string) error {
	// One job is queued per mail, with its row, and River runs a job on one
	// worker at a time: a plain read is enough here.
	row, err := inboundstore.New(s.db.Pool).GetInbound(ctx, inboundID)
	if postgres.IsNoRows(err) {
		return river.JobCancel(fmt.Errorf("inbound mail %s no longer exists", inboundID))
	}
	if err != nil {
		return err
	}
	if row.Status != StatusReceived {
		return nil
	}
	status, outcome, err := s.process(ctx, row)
	if err != nil {
		return err
	}
	err = inboundstore.New(s.db.Pool).FinishInbound(ctx, inboundstore.FinishInboundParams{
		InboundID: inboundID, Status: status, Outcome: outcome})
	if err == nil {
		s.metrics.processed(ctx, status)
	}
	return err
}

// process returns the mail's status and outcome, or an error to retry on.
func (s *Service) process(ctx context.Context, row inboundstore.InboundMail) (string, string, error) {
	msg, readErr := mailtext.Extract(row.Raw)
	if readErr != nil {
		// Not a failure to retry: the message itself cannot be read.
		return StatusIgnored, "unreadable message: " + readErr.Error(), nil //nolint:nilerr // an unreadable message is an outcome, not an error to retry
	}
	from, err := s.sender(ctx, msg.From)
	if err != nil {
		return "", "", err
	}
	if from == nil {
		// No account, no reply: answering forged senders would make us a
		// source of backscatter.
		return StatusIgnored, "sender " + msg.From + " has no account: no reply", nil
	}
	if msg.AutoSubmitted {
		// Vacation notices, bounces, list mail: answering them could start a
		// loop with an auto-responder.
		return StatusIgnored, "automatic mail (auto-submitted, bulk or bounce): no reply", nil
	}
	p := commands.Parse(msg.Text)
	r := &run{s: s, row: row, msg: msg, from: *from}
	if len(p.Commands) == 0 && len(p.Mistakes) == 0 {
		r.refuse(ctx, 0, "no command", "This mail holds no command: send #GALAXY … #END orders, #REPORT or #RELAY … #END.")
	}
	if len(p.Mistakes) > 0 {
		lines := make([]string, len(p.Mistakes))
		for i, m := range p.Mistakes {
			lines[i] = fmt.Sprintf("line %d: %s", m.Line, m.Message)
		}
		r.refuse(ctx, 0, "malformed", "Some lines of this mail are not commands we can read:\n"+strings.Join(lines, "\n"))
	}
	for i, c := range p.Commands {
		r.command(ctx, i+1, c)
	}
	if r.err != nil {
		return "", "", r.err
	}
	return StatusProcessed, strings.Join(r.outcome, "\n"), nil
}

// sender finds the active account of a From address; nil when none.
func (s *Service) sender(ctx context.Context, address string) (*sender, error) {
	if address == "" {
		return nil, nil
	}
	ctx, cancel := s.db.WithTimeout(ctx)
	defer cancel()
	u, err := inboundstore.New(s.db.Pool).UserByEmail(ctx, address)
	if postgres.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &sender{userID: u.UserID, email: u.Email}, nil
}

// run is the processing of one mail: its outcome lines, and the first
// error that calls for a retry.
type run struct {
	s       *Service
	row     inboundstore.InboundMail
	msg     mailtext.Message
	from    sender
	outcome []string
	err     error
}

func (r *run) note(format string, args ...any) {
	r.outcome = append(r.outcome, fmt.Sprintf(format, args...))
}

// command runs command n of the mail.
func (r *run) command(ctx context.Context, n int, c commands.Command) {
	m, err := r.s.deps.Lobby.AuthenticateMailMember(ctx, r.from.userID, c.Game, c.Race, c.Password)
	if err != nil {
		if !retryable(err) {
			r.refuse(ctx, n, "not authenticated", fmt.Sprintf("#%s (line %d): %s", strings.ToUpper(c.Kind), c.Line, errs.As(err).Message))
			return
		}
		r.fail(err)
		return
	}
	switch c.Kind {
	case commands.KindGalaxy:
		r.orders(ctx, n, c, m)
	case commands.KindReport:
		r.report(ctx, n, c, m)
	case commands.KindRelay:
		r.relay(ctx, n, c, m)
	}
}

// fail keeps the first error that calls for a retry of the whole mail.
func (r *run) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// reply mails the sender, threaded under their mail, once per (mail,
// command, template).
func (r *run) reply(ctx context.Context, n int, template string, data map[string]any) {
	err := r.s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		_, err := r.s.deps.Mailer.EnqueueTx(ctx, tx, mail.Request{
			IdempotencyKey: r.row.InboundID + ":" + strconv.Itoa(n) + ":" + template,
			Template:       template, To: []string{r.from.email}, Locale: "en", Data: data,
			InReplyTo: r.msg.MessageID,
		})
		return err
	})
	if err != nil {
		r.fail(fmt.Errorf("reply %s: %w", template, err))
	}
}

// refuse answers a command (or the mail, n = 0) that cannot run.
func (r *run) refuse(ctx context.Context, n int, what, why string) {
	r.note("command %d: refused (%s)", n, what)
	r.reply(ctx, n, TemplateCommandRefused, map[string]any{"subject": r.msg.Subject, "reason": why})
}

// orders stores a #GALAXY set exactly as PUT .../orders does.
func (r *run) orders(ctx context.Context, n int, c commands.Command, m lobby.MailMember) {
	turn := c.Turn
	if turn == 0 {
		rec, err := r.s.deps.Play.Record(ctx, m.GameID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			r.fail(err)
			return
		}
		turn = rec.CurrentTurn + 1
	}
	// Every key the template reads is set: templates fail on a missing one.
	data := map[string]any{"game_name": m.GameName, "game_id": m.GameID, "race_name": m.RaceName, "turn": turn,
		"final": c.Final, "problem": "", "accepted": false, "mistakes": []map[string]any{}, "forecast": ""}
	res, err := r.s.deps.Play.SubmitOrders(ctx, m.GameID, m.UserID, turn, c.Body, c.Final)
	if retryable(err) {
		r.fail(err) // the engine or the database is away: try the whole mail again later
		return
	}
	if err != nil {
		r.note("command %d: #GALAXY %s turn %d not stored: %s", n, m.GameID, turn, errs.As(err).Message)
		data["problem"] = errs.As(err).Message
		r.reply(ctx, n, TemplateOrdersChecked, data)
		return
	}
	mistakes := make([]map[string]any, len(res.Errors))
	for i, e := range res.Errors {
		// Lines count from the #GALAXY line's next one in the mail, so the
		// player finds them in what they wrote.
		mistakes[i] = map[string]any{"line": e.Line + c.BodyLine - 1, "order_line": e.Line, "message": e.Message}
	}
	data["accepted"], data["mistakes"], data["forecast"] = res.Accepted, mistakes, res.Forecast
	r.note("command %d: #GALAXY %s turn %d stored, %d mistakes, final %v", n, m.GameID, turn, len(mistakes), c.Final)
	r.reply(ctx, n, TemplateOrdersChecked, data)
}

// report mails the asked report (default: the latest).
func (r *run) report(ctx context.Context, n int, c commands.Command, m lobby.MailMember) {
	turn := runtime.Latest
	if c.Turn > 0 {
		turn = c.Turn
	}
	data := map[string]any{"game_name": m.GameName, "game_id": m.GameID, "race_name": m.RaceName,
		"turn": c.Turn, "report": "", "problem": ""}
	rep, err := r.s.deps.Play.Reports(ctx, m.GameID, m.UserID, turn)
	if retryable(err) {
		r.fail(err)
		return
	}
	if err != nil {
		r.note("command %d: #REPORT %s: none", n, m.GameID)
		data["problem"] = fmt.Sprintf("There is no report of turn %d for the %s.", c.Turn, m.RaceName)
	} else {
		r.note("command %d: #REPORT %s turn %d sent", n, m.GameID, rep.Turn)
		data["turn"], data["report"] = rep.Turn, rep.Text
	}
	r.reply(ctx, n, TemplateReportRequested, data)
}

// relay hands a message to one race's player, or every other race's, as a
// game message with its notification (in-app, push, mail by preference):
// no address is ever shown to anyone.
func (r *run) relay(ctx context.Context, n int, c commands.Command, m lobby.MailMember) {
	races, err := r.s.deps.Lobby.ActiveRaces(ctx, m.GameID)
	if err != nil {
		r.fail(err)
		return
	}
	toAll := strings.EqualFold(c.To, commands.ToAll)
	var to []lobbystore.ListActiveRacesRow
	for _, rc := range races {
		if rc.UserID != m.UserID && (toAll || strings.EqualFold(rc.RaceName, c.To)) {
			to = append(to, rc)
		}
	}
	data := map[string]any{"game_name": m.GameName, "game_id": m.GameID, "race_name": m.RaceName, "to": c.To,
		"delivered_to": "", "problem": ""}
	if len(to) == 0 {
		r.note("command %d: #RELAY %s to %s: no such race", n, m.GameID, c.To)
		data["problem"] = fmt.Sprintf("No other race named %q plays in %s.", c.To, m.GameName)
		r.reply(ctx, n, TemplateRelayDelivered, data)
		return
	}
	body := strings.TrimSpace(c.Body)
	err = r.s.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		q := inboundstore.New(tx)
		for _, rc := range to {
			key := r.row.InboundID + ":" + strconv.Itoa(n) + ":" + rc.UserID
			if err := q.InsertGameMessage(ctx, inboundstore.InsertGameMessageParams{
				MessageID: "msg_" + shortHash(key), GameID: m.GameID, FromRaceName: m.RaceName, FromUserID: m.UserID,
				ToUserID: rc.UserID, ToRaceName: rc.RaceName, ToAll: toAll, Body: body, InboundID: &r.row.InboundID,
			}); err != nil {
				return err
			}
			if err := r.s.deps.Notify.NotifyTx(ctx, tx, lobby.Intent{Kind: KindMessageReceived, UserIDs: []string{rc.UserID},
				Payload: map[string]any{"game_id": m.GameID, "game_name": m.GameName, "from_race": m.RaceName,
					"race_name": rc.RaceName, "to_all": toAll, "body": body, "sent_at": time.Now().UTC().Format(time.RFC3339)},
				DedupeKey: "relay:" + key}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		r.fail(err)
		return
	}
	names := make([]string, len(to))
	for i, rc := range to {
		names[i] = rc.RaceName
	}
	data["delivered_to"] = strings.Join(names, ", ")
	r.note("command %d: #RELAY %s from %s to %s", n, m.GameID, m.RaceName, data["delivered_to"])
	r.reply(ctx, n, TemplateRelayDelivered, data)
}

// retryable says an error is the platform's (database, engine), not the
// command's: the mail is processed again later rather than answered.
func retryable(err error) bool {
	switch errs.CodeOf(err) {
	case "":
		return false
	case errs.Internal, errs.Unavailable:
		return true
	}
	return false
}

// shortHash is a stable id fragment for a key.
func shortHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:12])
}
