package form

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// Limits are the bounds a new game must keep. Templates use them for the
// inputs' min, max and maxlength, so the browser checks what Validate checks.
type Limits struct {
	NameMax, DescriptionMax              int
	PlayersMin, PlayersMax               int
	PlanetsPerRaceMin, PlanetsPerRaceMax int
	PlanetsPerRaceDefault                int
}

// GameLimits are the backend's: the lobby's checks of a new game
// (internal/lobby/games.go) and the engine's bounds on its settings
// (internal/game: MaxRaces, MinPlanetsPerRace, MaxPlanetsPerRace,
// DefaultPlanetsPerRace). The gateway may not import those packages, so the
// numbers are repeated here; the backend still judges.
var GameLimits = Limits{
	NameMax: 80, DescriptionMax: 2000,
	PlayersMin: 2, PlayersMax: 200,
	PlanetsPerRaceMin: 3, PlanetsPerRaceMax: 40, PlanetsPerRaceDefault: 10,
}

// DateTimeLocal is the value format of <input type="datetime-local">: a wall
// clock time with no zone, which the page reads in the player's time zone.
const DateTimeLocal = "2006-01-02T15:04"

// Game is the new-game form (POST /games/new) as typed. The field names are
// the API's: name, description, visibility, min_players, max_players,
// enrollment_ends_at, turn_schedule, the engine's settings max_turns, wrap
// and planets_per_race, and the turn flow's idle_turns, idle_policy,
// reminder_before and max_absence_turns.
type Game struct {
	Name, Description, Visibility string
	MinPlayers, MaxPlayers        string
	// EnrollmentEndsAt is in DateTimeLocal format, in the player's zone.
	EnrollmentEndsAt string
	TurnSchedule     string
	MaxTurns         string
	IdleTurns        string
	PlanetsPerRace   string
	Wrap             bool
	// IdlePolicy is one of IdlePolicies ("" is remove).
	IdlePolicy string
	// ReminderBefore is one of ReminderChoices' values.
	ReminderBefore  string
	MaxAbsenceTurns string
}

// IdlePolicy is one offered fate of a race whose player stays silent.
type IdlePolicy struct{ Value, Label string }

// IdlePolicies are the backend's idle_policy values, the default first.
var IdlePolicies = []IdlePolicy{
	{"remove", "is removed (GalaxyNG's rule)"},
	{"bot", "is played by the bot until its player returns"},
	{"substitute", "is played by the bot and offered to a new player"},
}

// ReminderChoice is one offered reminder lead time.
type ReminderChoice struct{ Value, Label string }

// ReminderChoices are the reminder lead times the form offers ("" is the
// platform's default, 6 hours).
var ReminderChoices = []ReminderChoice{
	{"", "6 hours before (default)"}, {"1h", "1 hour before"}, {"3h", "3 hours before"},
	{"12h", "12 hours before"}, {"24h", "a day before"}, {"off", "no reminders"},
}

// NewGame is the form's starting values: a public game for 2 to 8 players
// whose enrollment ends a week from now (on the hour, in the player's zone)
// and whose turns run daily at 18:00 UTC.
func NewGame(now time.Time, loc *time.Location) Game {
	ends := now.In(loc).Add(7 * 24 * time.Hour).Truncate(time.Hour).Add(time.Hour)
	return Game{
		Visibility: "public", MinPlayers: "2", MaxPlayers: "8",
		EnrollmentEndsAt: ends.Format(DateTimeLocal), TurnSchedule: SchedulePresets[0].Cron,
	}
}

// ParseGame reads the posted form.
func ParseGame(v url.Values) Game {
	return Game{
		Name: v.Get("name"), Description: v.Get("description"), Visibility: v.Get("visibility"),
		MinPlayers: v.Get("min_players"), MaxPlayers: v.Get("max_players"),
		EnrollmentEndsAt: v.Get("enrollment_ends_at"), TurnSchedule: v.Get("turn_schedule"),
		MaxTurns: v.Get("max_turns"), IdleTurns: v.Get("idle_turns"),
		PlanetsPerRace: v.Get("planets_per_race"), Wrap: checked(v.Get("wrap")),
		IdlePolicy: v.Get("idle_policy"), ReminderBefore: v.Get("reminder_before"), MaxAbsenceTurns: v.Get("max_absence_turns"),
	}
}

// Validate checks the form as the backend would, reading enrollment_ends_at
// in loc, and returns the API's request body. It is only usable when Errors
// is empty.
func (g Game) Validate(now time.Time, loc *time.Location) (apiclient.NewGame, Errors) {
	errs := Errors{}
	lim := GameLimits
	var out apiclient.NewGame

	out.Name = strings.TrimSpace(g.Name)
	switch n := utf8.RuneCountInString(out.Name); {
	case n == 0:
		errs.Add("name", "Give the game a name.")
	case n > lim.NameMax:
		errs.Add("name", "A name has at most "+strconv.Itoa(lim.NameMax)+" characters.")
	}
	if desc := strings.TrimSpace(g.Description); desc != "" {
		if utf8.RuneCountInString(desc) > lim.DescriptionMax {
			errs.Add("description", "A description has at most "+strconv.Itoa(lim.DescriptionMax)+" characters.")
		}
		out.Description = &desc
	}
	switch g.Visibility {
	case "public", "private":
		out.Visibility = apiclient.NewGameVisibility(g.Visibility)
	default:
		errs.Add("visibility", "Choose public or private.")
	}

	minP, ok := intIn(errs, "min_players", g.MinPlayers, lim.PlayersMin, lim.PlayersMax, true)
	maxP, okMax := intIn(errs, "max_players", g.MaxPlayers, lim.PlayersMin, lim.PlayersMax, true)
	if ok && okMax && maxP < minP {
		errs.Add("max_players", "The most players cannot be fewer than the fewest ("+strconv.Itoa(minP)+").")
	}
	out.MinPlayers, out.MaxPlayers = minP, maxP

	if ends, msg := EnrollmentEnd(g.EnrollmentEndsAt, now, loc); msg != "" {
		errs.Add("enrollment_ends_at", msg)
	} else {
		out.EnrollmentEndsAt = ends
	}
	if cron, msg := ValidateSchedule(g.TurnSchedule); msg != "" {
		errs.Add("turn_schedule", msg)
	} else {
		out.TurnSchedule = cron
	}

	settings := map[string]any{}
	if n, ok := intIn(errs, "max_turns", g.MaxTurns, 0, -1, false); ok && n > 0 {
		settings["max_turns"] = n
	}
	if n, ok := intIn(errs, "idle_turns", g.IdleTurns, 0, 50, false); ok && n > 0 {
		settings["idle_turns"] = n
	}
	switch g.IdlePolicy {
	case "", "remove":
		// GalaxyNG's rule, the backend's default: nothing to send.
	case "bot", "substitute":
		settings["idle_policy"] = g.IdlePolicy
	default:
		errs.Add("idle_policy", "Choose what happens to a silent race.")
	}
	if g.ReminderBefore != "" {
		if !slices.ContainsFunc(ReminderChoices, func(c ReminderChoice) bool { return c.Value == g.ReminderBefore }) {
			errs.Add("reminder_before", "Choose when to remind players.")
		} else {
			settings["reminder_before"] = g.ReminderBefore
		}
	}
	if n, ok := intIn(errs, "max_absence_turns", g.MaxAbsenceTurns, 1, 20, false); ok && n > 0 {
		settings["max_absence_turns"] = n
	}
	// 0 is the engine's "default"; anything else must be in range.
	if strings.TrimSpace(g.PlanetsPerRace) != "0" {
		if n, ok := intIn(errs, "planets_per_race", g.PlanetsPerRace, lim.PlanetsPerRaceMin, lim.PlanetsPerRaceMax, false); ok && n > 0 {
			settings["planets_per_race"] = n
		}
	}
	if g.Wrap {
		settings["wrap"] = true
	}
	if len(settings) > 0 {
		out.Settings = &settings
	}
	return out, errs
}

// EnrollmentEnd reads a datetime-local value as a wall clock time in loc and
// returns it in UTC (the API's RFC 3339), or a message when it is missing,
// malformed or not in the future.
func EnrollmentEnd(value string, now time.Time, loc *time.Location) (time.Time, string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return time.Time{}, "Choose when enrollment ends."
	}
	t, err := time.ParseInLocation(DateTimeLocal, value, loc)
	if err != nil {
		// Browsers send seconds when the input's step asks for them.
		if t, err = time.ParseInLocation(DateTimeLocal+":05", value, loc); err != nil {
			return time.Time{}, "Enter a date and time, e.g. " + now.In(loc).Add(24*time.Hour).Format(DateTimeLocal) + "."
		}
	}
	if !t.After(now) {
		return time.Time{}, "Enrollment must end in the future (times are in " + loc.String() + ")."
	}
	return t.UTC(), ""
}

// intIn parses a whole number for field between lo and hi (hi < 0: no upper
// bound). An empty value is a "Required." mistake when required, else it is
// reported as not ok with no mistake (the default applies).
func intIn(errs Errors, field, value string, lo, hi int, required bool) (int, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		if required {
			errs.Add(field, "Required.")
		}
		return 0, false
	}
	n, err := strconv.Atoi(value)
	switch {
	case err != nil:
		errs.Add(field, "Enter a whole number.")
		return 0, false
	case n < lo:
		errs.Add(field, "At least "+strconv.Itoa(lo)+".")
		return 0, false
	case hi >= 0 && n > hi:
		errs.Add(field, "At most "+strconv.Itoa(hi)+".")
		return 0, false
	}
	return n, true
}

// checked reads a checkbox: browsers send "on" unless the input has a value.
func checked(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "1", "yes":
		return true
	}
	return false
}
