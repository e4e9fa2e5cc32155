package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// notificationRow is a notification as the page shows it: a sentence, and
// where to go about it.
type notificationRow struct {
	ID        string
	Text      string
	Link      string
	LinkText  string
	CreatedAt time.Time
	Unread    bool
}

// describeNotification turns a notification's kind and payload into a sentence for a
// person, and a link to what it is about. Times are in the player's zone.
// Unknown kinds still say something: new kinds reach the inbox before this
// list learns them.
func describeNotification(s *Session, kind string, p map[string]any) (text, link, linkText string) {
	str := func(k string) string {
		switch v := p[k].(type) {
		case string:
			return v
		case float64: // JSON numbers
			return strconv.FormatFloat(v, 'f', -1, 64)
		case bool:
			return strconv.FormatBool(v)
		}
		return ""
	}
	game := str("game_name")
	if game == "" {
		game = "a game"
	}
	race := str("race_name")
	gameID := str("game_id")
	gameLink := ""
	if gameID != "" {
		gameLink = "/games/" + url.PathEscape(gameID)
		link, linkText = gameLink, "Open the game"
	}
	switch kind {
	case "lobby.application.submitted":
		text, linkText = fmt.Sprintf("%s applied to join %s.", orSomeone(race), game), "Review the application"
	case "lobby.application.approved":
		text = fmt.Sprintf("Your application to %s as %s was approved: you play in the game.", game, race)
	case "lobby.application.rejected":
		text = fmt.Sprintf("Your application to %s as %s was declined.", game, race)
	case "lobby.invite.created":
		text, linkText = fmt.Sprintf("You are invited to play %s.", game), "Answer the invitation"
		if t, err := time.Parse(time.RFC3339, str("expires_at")); err == nil {
			text += " The invitation expires " + s.at(t) + "."
		}
	case "lobby.game.starting":
		text = fmt.Sprintf("%s is starting: the galaxy is being generated.", game)
	case "lobby.game.started":
		text = fmt.Sprintf("%s has started.", game)
		if race != "" {
			text = fmt.Sprintf("%s has started: you play %s.", game, race)
		}
		if t, err := parseEventTime(str("next_turn_at")); err == nil {
			text += " The first turn runs " + s.at(t) + "."
		}
	case "lobby.game.start_failed":
		text = fmt.Sprintf("%s could not start.%s", game, withReason(str("reason")))
	case "lobby.game.cancelled":
		text = fmt.Sprintf("%s was cancelled.%s", game, withReason(str("reason")))
	case "lobby.game.enrollment_short":
		text = fmt.Sprintf("Enrollment in %s has ended with %s of the %s players it needs. Invite more players or cancel the game.",
			game, orNumber(str("approved_count")), orNumber(str("min_players")))
	case "lobby.membership.blocked":
		text = fmt.Sprintf("%s left %s: the player's account was blocked.", orSomeone(race), game)
	case "game.turn.ready":
		text = fmt.Sprintf("Turn %s of %s has run: your report is ready.", str("turn"), game)
		if gameID != "" {
			link, linkText = gameLink+"/reports/"+url.PathEscape(str("turn")), "Read the report"
		}
	case "game.race.removed":
		text = fmt.Sprintf("Your race %s was removed from %s at turn %s after turns without orders.", str("race_name"), game, str("turn"))
	case "game.race.offered":
		text = fmt.Sprintf("Your race %s in %s has been silent since turn %s: the bot plays it and it is offered to a substitute. Send orders to keep it.",
			race, game, str("turn"))
		if gameID != "" {
			link, linkText = gameLink+"/orders", "Write your orders"
		}
	case "game.race.handed_over":
		text = fmt.Sprintf("A substitute took over your race %s in %s after turn %s.", race, game, str("turn"))
	case "game.substitute.claimed":
		text, linkText = fmt.Sprintf("A player asks to take over %s in %s.", orSomeone(race), game), "Review the claim"
	case "game.substitute.approved":
		text = fmt.Sprintf("You now play %s in %s: read the latest report and send your orders.", race, game)
		if gameID != "" {
			link, linkText = gameLink+"/reports/latest", "Read the report"
		}
	case "game.message.received":
		text = fmt.Sprintf("The %s send you a message in %s: %s", str("from_race"), game, str("body"))
	case "game.substitute.rejected":
		text = fmt.Sprintf("Your claim to take over %s in %s was declined.", race, game)
	case "game.turn.reminder":
		text = fmt.Sprintf("The next turn of %s runs soon and you have sent no orders.", game)
		if gameID != "" {
			link, linkText = gameLink+"/orders", "Write your orders"
		}
	case "game.finished":
		text = fmt.Sprintf("%s is over after turn %s.", game, str("turn"))
		if w, ok := p["winners"].([]any); ok && len(w) > 0 {
			names := make([]string, 0, len(w))
			for _, n := range w {
				names = append(names, fmt.Sprint(n))
			}
			text += " Winners: " + strings.Join(names, ", ") + "."
		}
		switch str("survived") {
		case "true":
			text += " Your race survived."
		case "false":
			text += " Your race did not survive."
		}
		if gameID != "" {
			link, linkText = gameLink+"/reports/latest", "Read the last report"
		}
	case "auth.session.revoked":
		text = "One of your sessions was signed out."
		link, linkText = "/account", "See your sessions"
	default:
		text = "Something happened: " + kind + "."
		if game != "a game" {
			text = fmt.Sprintf("Something happened in %s: %s.", game, kind)
		}
	}
	return text, link, linkText
}

func orSomeone(race string) string {
	if race == "" {
		return "A player"
	}
	return race
}

func orNumber(n string) string {
	if n == "" {
		return "too few"
	}
	return n
}

// withReason is " Reason: why." when the backend said why.
func withReason(why string) string {
	if why == "" {
		return ""
	}
	return " Reason: " + strings.TrimSuffix(why, ".") + "."
}

// parseEventTime reads a time of an event's payload: RFC 3339, or RFC 1123
// as notifications stored before the contract was followed carry it.
func parseEventTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC1123, s)
}
