package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/galaxy-platform/galaxy/internal/web/form"
)

// refusal reports whether err is the backend refusing what a form asked for
// (a 4xx other than 401), which the form's page shows beside the values the
// player typed; anything else (an ended session, a server failure) is for
// fail.
func refusal(err error) (*APIError, bool) {
	e, ok := asAPI(err)
	if !ok || e.Status == http.StatusUnauthorized || e.Status < 400 || e.Status >= 500 {
		return nil, false
	}
	return e, true
}

// fieldErrors places a backend refusal beside the inputs it is about: the
// field its "field" detail names, and the fields that start the sentences of
// its "problems" detail (how the lobby and the account service list several
// mistakes at once, e.g. "max_players must be between min_players and 200").
// Only the given fields, the ones the form has, are marked.
func fieldErrors(e *APIError, fields ...string) form.Errors {
	out := form.Errors{}
	if f := e.Field(); f != "" && slices.Contains(fields, f) {
		out.Add(f, e.Message)
	}
	problems, _ := e.Details["problems"].([]any)
	for _, p := range problems {
		msg, ok := p.(string)
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(msg, " ")
		if name = strings.TrimSuffix(name, ":"); slices.Contains(fields, name) {
			out.Add(name, msg)
		}
	}
	return out
}

// raceNameErrors is fieldErrors for a form whose input is a race name: the
// Race Name Directory answers a bad name with a 400 and a name held by
// someone else with a 409 naming its canonical key, neither with a "field".
func raceNameErrors(e *APIError) form.Errors {
	out := fieldErrors(e, "race_name")
	if _, taken := e.Details["canonical_key"]; taken || e.Status == http.StatusBadRequest {
		out.Add("race_name", e.Message)
	}
	return out
}

// marked is the page's message when the mistakes are shown beside their
// fields: saying them twice would only make the page longer.
func marked(errs form.Errors) string {
	if len(errs) == 1 {
		return "Please correct the marked field."
	}
	return "Please correct the marked fields."
}

// topMessage is what a page shows above a form refused by e: the backend's
// message, unless errs (from fieldErrors) already shows all of it beside the
// fields.
func topMessage(e *APIError, errs form.Errors) string {
	problems, _ := e.Details["problems"].([]any)
	if errs.Any() && len(problems) <= len(errs) {
		return marked(errs)
	}
	return e.Message
}
