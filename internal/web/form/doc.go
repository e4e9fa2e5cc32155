// Package form reads the web client's forms: each type holds a form's values
// exactly as the player typed them (so that a page can show them again after
// a mistake), and its Validate checks them the way the backend will and turns
// them into the API's request body.
//
// The checks mirror the backend's own (internal/lobby, internal/game,
// internal/user), so that most mistakes are caught here, beside the field,
// before a round trip. The backend stays the judge: its answer is shown as
// well when it refuses what passed here.
package form
