package engine

import "github.com/galaxy-platform/galaxy/internal/game"

// InitRequest is the body of POST /admin/init. With Snapshot set, the engine
// restores that state and ignores Seed, Settings and Races; otherwise it
// generates a new galaxy from them.
type InitRequest struct {
	GameID   string          `json:"game_id"`
	Seed     int64           `json:"seed"`
	Settings game.Settings   `json:"settings"`
	Races    []game.RaceSpec `json:"races"`
	// Snapshot is the opaque state from an earlier response; encoding/json
	// carries []byte as standard base64, which is the contract's format.
	Snapshot []byte `json:"snapshot,omitempty"`
}

// InitResponse is the answer to POST /admin/init: the state the engine now
// holds (turn 0 for a new game, the snapshot's turn for a restore).
type InitResponse struct {
	Turn     int                    `json:"turn"`
	Snapshot []byte                 `json:"snapshot"`
	Reports  map[string]game.Report `json:"reports"`
}

// TurnRequest is the body of POST /admin/turn: the number of the turn to run
// (current+1, or current to fetch the stored result again) and the orders of
// each race by race id. Races without orders are idle this turn.
type TurnRequest struct {
	Turn   int               `json:"turn"`
	Orders map[string]string `json:"orders"`
	// RefusedNames holds, by race id and name, why the platform refuses a
	// name a race's c orders ask for (see game.TurnInput).
	RefusedNames map[string]map[string]string `json:"refused_names,omitempty"`
}

// TurnResponse is the result of a turn: its number, the state after it, the
// summary and every race's report.
type TurnResponse struct {
	Turn     int                    `json:"turn"`
	Snapshot []byte                 `json:"snapshot"`
	Summary  game.Summary           `json:"summary"`
	Reports  map[string]game.Report `json:"reports"`
}

// CheckRequest is the body of POST /orders/check.
type CheckRequest struct {
	RaceID string `json:"race_id"`
	Text   string `json:"text"`
}

// CheckResponse is the result of an order check against the current turn:
// whether the orders would be accepted, the mistakes by line and a forecast
// of the race's own planets and groups.
type CheckResponse struct {
	Accepted bool           `json:"accepted"`
	Errors   []game.Mistake `json:"errors"`
	Forecast string         `json:"forecast"`
}

// ErrorBody is the contract's error envelope: {"error": {...}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of the error envelope.
type ErrorDetail struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}
