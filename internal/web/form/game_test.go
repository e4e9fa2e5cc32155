package form

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

var (
	berlin, _ = time.LoadLocation("Europe/Berlin")
	// now is a fixed instant: 2026-03-10 12:00 UTC (13:00 in Berlin).
	now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
)

// valid is a form that passes; each case changes one field.
func valid() url.Values {
	return url.Values{
		"name": {"  Andromeda  "}, "description": {"A friendly game"}, "visibility": {"public"},
		"min_players": {"2"}, "max_players": {"8"}, "enrollment_ends_at": {"2026-03-17T18:00"},
		"turn_schedule": {"0 18 * * *"},
	}
}

func TestGameValidateAcceptsAValidForm(t *testing.T) {
	t.Parallel()
	v := valid()
	v.Set("max_turns", "100")
	v.Set("idle_turns", "4")
	v.Set("idle_policy", "bot")
	v.Set("reminder_before", "3h")
	v.Set("max_absence_turns", "5")
	v.Set("planets_per_race", "12")
	v.Set("wrap", "on")
	body, errs := ParseGame(v).Validate(now, berlin)
	if errs.Any() {
		t.Fatalf("errors: %v", errs)
	}
	if body.Name != "Andromeda" || body.Visibility != "public" || body.MinPlayers != 2 || body.MaxPlayers != 8 {
		t.Errorf("body = %+v", body)
	}
	if body.Description == nil || *body.Description != "A friendly game" {
		t.Errorf("description = %v", body.Description)
	}
	if body.Settings == nil {
		t.Fatal("no settings")
	}
	want := map[string]any{"max_turns": 100, "idle_turns": 4, "planets_per_race": 12, "wrap": true,
		"idle_policy": "bot", "reminder_before": "3h", "max_absence_turns": 5}
	for k, w := range want {
		if got := (*body.Settings)[k]; got != w {
			t.Errorf("settings[%s] = %v, want %v", k, got, w)
		}
	}
}

func TestGameValidateIdlePolicies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		value string
		want  any // nil: no idle_policy sent, the backend's default
	}{
		{"", nil},
		{"remove", nil},
		{"bot", "bot"},
		// The bot plays a silent race while it is offered to a new player.
		{"substitute", "substitute"},
	}
	for _, c := range cases {
		t.Run("idle_policy="+c.value, func(t *testing.T) {
			t.Parallel()
			v := valid()
			v.Set("idle_policy", c.value)
			body, errs := ParseGame(v).Validate(now, berlin)
			if errs.Any() {
				t.Fatalf("errors: %v", errs)
			}
			var got any
			if body.Settings != nil {
				got = (*body.Settings)["idle_policy"]
			}
			if got != c.want {
				t.Errorf("idle_policy sent = %v, want %v", got, c.want)
			}
		})
	}
	// Every policy offered is one Validate accepts.
	for _, p := range IdlePolicies {
		v := valid()
		v.Set("idle_policy", p.Value)
		if _, errs := ParseGame(v).Validate(now, berlin); errs.Any() {
			t.Errorf("offered %q is refused: %v", p.Value, errs)
		}
	}
}

func TestGameValidateOmitsDefaultSettings(t *testing.T) {
	t.Parallel()
	v := valid()
	v.Set("max_turns", "0")
	v.Set("planets_per_race", "0")
	body, errs := ParseGame(v).Validate(now, berlin)
	if errs.Any() {
		t.Fatalf("errors: %v", errs)
	}
	if body.Settings != nil {
		t.Errorf("settings = %v, want none (an empty object is a classic game)", *body.Settings)
	}
	if body.Description == nil || *body.Description == "" {
		t.Error("description dropped")
	}
}

func TestGameValidateEnrollmentEndIsReadInThePlayersZone(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, value string
		loc         *time.Location
		want        time.Time
	}{
		{"winter Berlin is UTC+1", "2026-03-17T18:00", berlin, time.Date(2026, 3, 17, 17, 0, 0, 0, time.UTC)},
		{"summer Berlin is UTC+2", "2026-07-01T18:00", berlin, time.Date(2026, 7, 1, 16, 0, 0, 0, time.UTC)},
		{"seconds are accepted", "2026-03-17T18:00:30", berlin, time.Date(2026, 3, 17, 17, 0, 30, 0, time.UTC)},
		{"UTC", "2026-03-17T18:00", time.UTC, time.Date(2026, 3, 17, 18, 0, 0, 0, time.UTC)},
		{"west of UTC", "2026-03-17T18:00", mustZone(t, "America/New_York"), time.Date(2026, 3, 17, 22, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v := valid()
			v.Set("enrollment_ends_at", c.value)
			body, errs := ParseGame(v).Validate(now, c.loc)
			if errs.Any() {
				t.Fatalf("errors: %v", errs)
			}
			if !body.EnrollmentEndsAt.Equal(c.want) || body.EnrollmentEndsAt.Location() != time.UTC {
				t.Errorf("enrollment_ends_at = %v, want %v in UTC", body.EnrollmentEndsAt, c.want)
			}
		})
	}
}

func TestGameValidateReportsEachFieldsMistake(t *testing.T) {
	t.Parallel()
	cases := []struct {
		field, value, wantIn string
	}{
		{"name", "   ", "name"},
		{"name", strings.Repeat("x", 81), "80"},
		{"description", strings.Repeat("d", 2001), "2000"},
		{"visibility", "secret", "public or private"},
		{"visibility", "", "public or private"},
		{"min_players", "", "Required"},
		{"min_players", "1", "At least 2"},
		{"min_players", "two", "whole number"},
		{"max_players", "201", "At most 200"},
		{"max_players", "2.5", "whole number"},
		{"enrollment_ends_at", "", "Choose"},
		{"enrollment_ends_at", "next week", "date and time"},
		// 12:30 in Berlin is 11:30 UTC: before now, although 12:30 > 12:00.
		{"enrollment_ends_at", "2026-03-10T12:30", "future"},
		{"enrollment_ends_at", "2026-03-10T13:00", "future"},
		{"turn_schedule", "", "Choose"},
		{"turn_schedule", "@daily", "5-field"},
		{"turn_schedule", "0 18 * *", "5-field"},
		{"turn_schedule", "0 18 * * * *", "5-field"},
		{"turn_schedule", "0 25 * * *", "valid cron"},
		{"max_turns", "-1", "At least 0"},
		{"max_turns", "many", "whole number"},
		{"idle_turns", "-3", "At least 0"},
		{"idle_policy", "ban", "Choose what happens"},
		{"idle_policy", "Substitute", "Choose what happens"},
		{"reminder_before", "7m", "Choose when"},
		{"max_absence_turns", "0", "At least 1"},
		{"planets_per_race", "2", "At least 3"},
		{"planets_per_race", "41", "At most 40"},
	}
	for _, c := range cases {
		t.Run(c.field+"="+c.value, func(t *testing.T) {
			t.Parallel()
			v := valid()
			v.Set(c.field, c.value)
			_, errs := ParseGame(v).Validate(now, berlin)
			if len(errs) != 1 {
				t.Fatalf("errors = %v, want one for %s", errs, c.field)
			}
			if msg := errs[c.field]; !strings.Contains(msg, c.wantIn) {
				t.Errorf("%s: %q, want it to mention %q", c.field, msg, c.wantIn)
			}
		})
	}
}

func TestGameValidateMaxPlayersNotBelowMin(t *testing.T) {
	t.Parallel()
	v := valid()
	v.Set("min_players", "6")
	v.Set("max_players", "4")
	_, errs := ParseGame(v).Validate(now, berlin)
	if !strings.Contains(errs["max_players"], "fewer") || len(errs) != 1 {
		t.Errorf("errors = %v", errs)
	}
}

func TestGameValidateNormalisesTheSchedule(t *testing.T) {
	t.Parallel()
	v := valid()
	v.Set("turn_schedule", "  0   6,18 *  * * ")
	body, errs := ParseGame(v).Validate(now, berlin)
	if errs.Any() || body.TurnSchedule != "0 6,18 * * *" {
		t.Errorf("schedule = %q, errors %v", body.TurnSchedule, errs)
	}
}

func TestNewGameDefaultsPass(t *testing.T) {
	t.Parallel()
	g := NewGame(now, berlin)
	g.Name = "Default"
	if g.EnrollmentEndsAt != "2026-03-17T14:00" {
		t.Errorf("enrollment ends %q, want a week ahead on the hour in Berlin", g.EnrollmentEndsAt)
	}
	if _, errs := g.Validate(now, berlin); errs.Any() {
		t.Errorf("the defaults fail: %v", errs)
	}
}

func TestSchedulePresetsAreValid(t *testing.T) {
	t.Parallel()
	for _, p := range SchedulePresets {
		if got, msg := ValidateSchedule(p.Cron); msg != "" || got != p.Cron {
			t.Errorf("preset %q: %q %s", p.Label, got, msg)
		}
	}
}

func TestCheckboxValues(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{"on": true, "true": true, "1": true, "": false, "off": false, "0": false} {
		if got := checked(v); got != want {
			t.Errorf("checked(%q) = %v", v, got)
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
