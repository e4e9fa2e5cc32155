package lobby

import (
	"encoding/json"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/game"
)

// Reminder bounds: a reminder closer than a minute to the deadline is no
// use, one further than a week is noise.
const (
	DefaultReminderBefore = 6 * time.Hour
	minReminderBefore     = time.Minute
	maxReminderBefore     = 7 * 24 * time.Hour
)

// Settings are a game's settings: the engine's rules (game.Settings, which
// the engine receives) and the platform's turn flow, which it does not.
type Settings struct {
	game.Settings
	// ReminderBefore is how long before a turn's deadline the players who
	// have sent no orders are reminded (a Go duration such as "6h"; empty
	// means DefaultReminderBefore, "off" means no reminders).
	ReminderBefore string `json:"reminder_before,omitempty"`
	// MaxAbsenceTurns is how many turns ahead a player may excuse their
	// race (1 to maxAbsenceTurns; 0 means DefaultMaxAbsenceTurns).
	MaxAbsenceTurns int `json:"max_absence_turns,omitempty"`
	// IdleTurns is how many turns in a row without orders make a race idle
	// (0: GalaxyNG's rule, 3 in the first 10 turns, 6 after).
	IdleTurns int `json:"idle_turns,omitempty"`
	// IdlePolicy is what happens to an idle race: "remove" (GalaxyNG's
	// rule, the default), "bot" (the built-in bot plays it until its
	// player sends orders again) or "substitute" (the bot plays it while it
	// is offered to a new player, who may claim it).
	IdlePolicy string `json:"idle_policy,omitempty"`
}

// Idle policies.
const (
	IdleRemove     = "remove"
	IdleBot        = "bot"
	IdleSubstitute = "substitute"
	// idleBotDefaultTurns is the bot's threshold when idle_turns is unset.
	idleBotDefaultTurns = 3
	maxIdleTurns        = 50
)

// Policy is the game's idle policy.
func (s Settings) Policy() string {
	if s.IdlePolicy == "" {
		return IdleRemove
	}
	return s.IdlePolicy
}

// BotAfter is, under the bot and substitute policies, how many silent turns
// in a row hand a race to the bot (and, under substitute, offer it to a new
// player); 0 under the remove policy.
func (s Settings) BotAfter() int {
	switch {
	case s.Policy() == IdleRemove:
		return 0
	case s.IdleTurns > 0:
		return s.IdleTurns
	}
	return idleBotDefaultTurns
}

// EngineSettings are the settings the engine plays by: under the remove
// policy the engine's own idle rule removes races (after idle_turns when
// set); under the bot and substitute policies the backend decides, so the
// engine never removes a race for idleness.
func (s Settings) EngineSettings() game.Settings {
	out := s.Settings
	switch s.Policy() {
	case IdleRemove:
		if s.IdleTurns > 0 {
			out.IdleTurnsLimit = s.IdleTurns
		}
	default:
		out.IdleTurnsLimit = 1 << 30
	}
	return out
}

// Absence bounds.
const (
	DefaultMaxAbsenceTurns = 2
	maxAbsenceTurns        = 20
)

// MaxAbsence is how many turns ahead a player may excuse their race.
func (s Settings) MaxAbsence() int {
	if s.MaxAbsenceTurns == 0 {
		return DefaultMaxAbsenceTurns
	}
	return s.MaxAbsenceTurns
}

// Validate reports the first setting that cannot be used, naming it.
func (s Settings) Validate() error {
	if err := s.Settings.Validate(); err != nil {
		return err
	}
	if _, err := s.Reminder(); err != nil {
		return err
	}
	switch s.IdlePolicy {
	case "", IdleRemove, IdleBot, IdleSubstitute:
	default:
		return errs.E(errs.InvalidArgument, "settings.idle_policy must be remove, bot or substitute, not %q", s.IdlePolicy).
			WithDetail("field", "settings.idle_policy").WithDetail("reason", "not_allowed")
	}
	if s.IdleTurns < 0 || s.IdleTurns > maxIdleTurns {
		return errs.E(errs.InvalidArgument, "settings.idle_turns must be between 1 and %d (0 means GalaxyNG's rule)", maxIdleTurns).
			WithDetail("field", "settings.idle_turns").WithDetail("reason", "out_of_range")
	}
	if s.MaxAbsenceTurns < 0 || s.MaxAbsenceTurns > maxAbsenceTurns {
		return errs.E(errs.InvalidArgument, "settings.max_absence_turns must be between 1 and %d (0 means %d)",
			maxAbsenceTurns, DefaultMaxAbsenceTurns).WithDetail("field", "settings.max_absence_turns").WithDetail("reason", "out_of_range")
	}
	return nil
}

// Reminder is how long before a deadline reminders go out; zero means none.
func (s Settings) Reminder() (time.Duration, error) {
	switch s.ReminderBefore {
	case "":
		return DefaultReminderBefore, nil
	case "off":
		return 0, nil
	}
	d, err := time.ParseDuration(s.ReminderBefore)
	if err != nil || d < minReminderBefore || d > maxReminderBefore {
		return 0, errs.E(errs.InvalidArgument, "settings.reminder_before must be a duration between %s and %s (such as 6h or 90m), or \"off\"",
			minReminderBefore, maxReminderBefore).WithDetail("field", "settings.reminder_before").WithDetail("reason", "out_of_range")
	}
	return d, nil
}

// ParseSettings reads a game's stored settings leniently (they were checked
// when the game was created).
func ParseSettings(raw []byte) Settings {
	var s Settings
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}
