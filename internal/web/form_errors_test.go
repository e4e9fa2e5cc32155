package web

import (
	"testing"
)

func TestFieldErrorsPlacesTheBackendsProblems(t *testing.T) {
	t.Parallel()
	e := &APIError{Status: 400, Code: "invalid_argument", Message: "invalid game: …", Details: map[string]any{"problems": []any{
		"max_players must be between min_players and 200",
		`turn_schedule must be a 5-field cron expression in UTC, e.g. "0 18 * * *"`,
		"settings: json: unknown field \"fog\"",
	}}}
	errs := fieldErrors(e, "max_players", "turn_schedule", "name")
	if len(errs) != 2 || errs["max_players"] == "" || errs["turn_schedule"] == "" {
		t.Errorf("errors = %v", errs)
	}
	// One problem has no field of the form: the page keeps the whole message.
	if got := topMessage(e, errs); got != e.Message {
		t.Errorf("top message = %q", got)
	}

	one := &APIError{Status: 404, Message: "nobody has signed in with x yet", Details: map[string]any{"field": "email"}}
	errs = fieldErrors(one, "email")
	if errs["email"] != one.Message || topMessage(one, errs) != "Please correct the marked field." {
		t.Errorf("errors = %v, top %q", errs, topMessage(one, errs))
	}
	if errs := fieldErrors(one, "race_name"); errs.Any() {
		t.Errorf("a field the form lacks was marked: %v", errs)
	}
}

func TestRaceNameErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		e      *APIError
		marked bool
	}{
		{&APIError{Status: 409, Message: "taken", Details: map[string]any{"canonical_key": "vogons"}}, true},
		{&APIError{Status: 400, Message: "a race name must contain at least one letter"}, true},
		{&APIError{Status: 409, Message: "you already applied to this game", Details: map[string]any{"game_id": "g1"}}, false},
		{&APIError{Status: 409, Message: "the game is full (6 players)", Details: map[string]any{"max_players": 6}}, false},
	}
	for _, c := range cases {
		if got := raceNameErrors(c.e)["race_name"] != ""; got != c.marked {
			t.Errorf("%q: marked %v, want %v", c.e.Message, got, c.marked)
		}
	}
}

func TestRefusalLeavesFailuresToFail(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]bool{400: true, 403: true, 404: true, 409: true, 422: true, 401: false, 500: false, 503: false} {
		if _, got := refusal(&APIError{Status: status}); got != want {
			t.Errorf("%d: refusal %v", status, got)
		}
	}
}
