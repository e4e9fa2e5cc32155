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
