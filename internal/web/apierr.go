package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
)

// APIError is the backend's error answer (the contract's error shape).
type APIError struct {
	// Status is the HTTP status.
	Status int
	// Code is the contract's error code (invalid_argument, conflict, …).
	Code string
	// Message is written for a person.
	Message string
	// Details names the field and reason where the backend gave them.
	Details map[string]any
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Field is the name of the input the error is about, "" when none.
func (e *APIError) Field() string {
	f, _ := e.Details["field"].(string)
	return f
}

// response is what every generated response type offers.
type response interface {
	StatusCode() int
}

// check turns a transport error or a non-2xx answer of a generated response
// into an error, so that every call site reads
// `resp, err := u.api.X(...); if err := check(resp, err); err != nil`.
func check(resp response, err error) error {
	if err != nil {
		return fmt.Errorf("backend unreachable: %w", err)
	}
	code := resp.StatusCode()
	if code >= 200 && code < 300 {
		return nil
	}
	// Every generated response keeps the raw answer in its Body field.
	var body []byte
	if v := reflect.ValueOf(resp); v.Kind() == reflect.Pointer && !v.IsNil() {
		if f := v.Elem().FieldByName("Body"); f.IsValid() {
			body, _ = f.Interface().([]byte)
		}
	}
	var e struct {
		Error struct {
			Code    string         `json:"code"`
			Message string         `json:"message"`
			Details map[string]any `json:"details"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error.Message == "" {
		return &APIError{Status: code, Code: "unknown", Message: http.StatusText(code)}
	}
	return &APIError{Status: code, Code: e.Error.Code, Message: e.Error.Message, Details: e.Error.Details}
}

// asAPI unwraps err into the backend's answer, if it was one.
func asAPI(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// fail shows err to the player: an ended session goes back to sign-in, a
// backend refusal shows its message with its status, anything else is a
// generic error page (details only in the log).
func (u *UI) fail(w http.ResponseWriter, r *http.Request, s *Session, err error) {
	e, ok := asAPI(err)
	switch {
	case ok && e.Status == http.StatusUnauthorized:
		u.bounce(w, r, msgSessionEnded)
		return
	case ok:
		u.render(w, r, e.Status, "error", s.view("Something went wrong", "", &errorPage{Status: e.Status, Message: e.Message}))
		return
	}
	u.logger.Error("page failed", "path", r.URL.Path, "error", err)
	u.render(w, r, http.StatusBadGateway, "error", s.view("Something went wrong", "",
		&errorPage{Status: http.StatusBadGateway, Message: "The game server did not answer. Try again in a moment."}))
}

type errorPage struct {
	Status  int
	Message string
}

// maxPage is the API's largest page: the pages that show a whole list (a
// player's sessions, race names) ask for it.
var maxPage = 200

// Check is check for the other pages the gateway serves (the operator
// console): nil for a 2xx answer, else an *APIError or a transport error.
func Check(resp interface{ StatusCode() int }, err error) error { return check(resp, err) }
