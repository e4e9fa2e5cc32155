package game

import (
	"fmt"
	"maps"
	"slices"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Settings are the per-game options chosen by the game's owner (JSON from the
// lobby). Every zero value means the default, so an empty object is a valid,
// classic game.
type Settings struct {
	MaxTurns       int  `json:"max_turns,omitempty"`        // 0 = no limit
	IdleTurnsLimit int  `json:"idle_turns_limit,omitempty"` // 0 = default rule (3 in the first 10 turns, 6 after)
	Wrap           bool `json:"wrap,omitempty"`             // the map wraps around at its edges
	// PlanetsPerRace is the number of planets generated per race, home and
	// developed worlds included; 0 means DefaultPlanetsPerRace. Values below
	// MinPlanetsPerRace are rejected because every race needs its fair
	// neighbourhood.
	PlanetsPerRace int `json:"planets_per_race,omitempty"`
}

// RaceSpec names one race at game creation.
type RaceSpec struct {
	ID   string `json:"race_id"`
	Name string `json:"name"`
}

// Game is one galaxy and everything needed to run its next turn. It is not
// safe for concurrent use: callers serialise mutations (RunTurn) and must not
// run CheckOrders beside them.
type Game struct {
	st      *state
	reports map[string]Report
}

// New generates a galaxy for races from seed and returns it at turn 0, with
// every race's turn-0 report. Bad input (no races, duplicate ids or names,
// negative settings) is an errs.InvalidArgument error.
func New(seed int64, settings Settings, races []RaceSpec) (*Game, error) {
	st, err := newState(seed, settings, races)
	if err != nil {
		return nil, err
	}
	g := &Game{st: st}
	g.reports = buildReports(st)
	return g, nil
}

// Turn returns the number of the last completed turn (0 after New).
func (g *Game) Turn() int { return g.st.Turn }

// Reports returns the reports of the last completed turn keyed by race id.
// The map is the caller's to keep; the reports are not shared with the game.
func (g *Game) Reports() map[string]Report {
	if g.reports == nil {
		// Restored without them: built on first use, since restoring
		// happens often (engine start, rollback) and reading them rarely.
		g.reports = buildReports(g.st)
	}
	out := make(map[string]Report, len(g.reports))
	for k, v := range g.reports {
		out[k] = v
	}
	return out
}

// Summary describes the current state: totals per race, whether the game is
// over and who won.
func (g *Game) Summary() Summary { return summarize(g.st) }

// RunTurn runs turn Turn()+1 with the order text of each race (a missing race
// sent no orders). It returns an error only for misuse: errs.FailedPrecondition
// when the game is finished and errs.InvalidArgument for an unknown race id;
// mistakes in orders are reported to the race, never returned.
func (g *Game) RunTurn(orders map[string]string) (*TurnResult, error) {
	return g.Run(TurnInput{Orders: orders})
}

// TurnInput is everything a turn reads besides the state: each race's
// orders, and the platform's answers to the race names that c orders ask
// for.
type TurnInput struct {
	// Orders holds each race's order text by race id.
	Orders map[string]string `json:"orders"`
	// RefusedNames holds, by race id and then by name (as
	// RequestedRaceNames gives it), why the platform refuses a name the
	// race's c orders ask for: another player holds it in the Race Name
	// Directory, say. Such a c order fails with that reason.
	RefusedNames map[string]map[string]string `json:"refused_names,omitempty"`
}

// Run runs the next turn like RunTurn, with the platform's answers too.
func (g *Game) Run(in TurnInput) (*TurnResult, error) {
	orders := in.Orders
	if g.st.Finished {
		return nil, errs.E(errs.FailedPrecondition, "game is finished").WithDetail("current_turn", g.st.Turn)
	}
	byRace := make(map[int]string, len(orders))
	for _, id := range slices.Sorted(maps.Keys(orders)) {
		ri := g.st.raceIndex(id)
		if ri < 0 {
			return nil, errs.E(errs.InvalidArgument, "orders for unknown race %q", id).WithDetail("race_id", id)
		}
		byRace[ri] = orders[id]
	}
	// The turn runs on a copy that replaces the state only when complete, so
	// that a failure can never leave a half-run turn behind.
	next := g.st.clone()
	next.refusedNames = in.RefusedNames
	defer func() { g.st.refusedNames = nil }()
	reports, err := guarded(func() map[string]Report {
		runTurn(next, byRace, -1)
		return buildReports(next)
	})
	if err != nil {
		return nil, err
	}
	*g.st, g.reports = *next, reports
	return &TurnResult{Turn: g.st.Turn, Summary: g.Summary(), Reports: g.Reports()}, nil
}

// guarded runs f and turns a panic (a bug in the rules) into an
// errs.Internal error, so that one bad turn cannot take the engine down.
func guarded[T any](f func() T) (out T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errs.Wrap(fmt.Errorf("panic: %v", p), errs.Internal, "the turn could not be run")
		}
	}()
	return f(), nil
}

// CheckOrders parses and checks text as raceID's orders for the next turn
// without modifying g, and forecasts the race's own planets and groups as
// they would be after those orders, ignoring every other race (so no battles
// or bombing). The only error is errs.InvalidArgument for an unknown race id.
func (g *Game) CheckOrders(raceID, text string) (CheckResult, error) {
	ri := g.st.raceIndex(raceID)
	if ri < 0 {
		return CheckResult{}, errs.E(errs.InvalidArgument, "unknown race %q", raceID).WithDetail("race_id", raceID)
	}
	return guarded(func() CheckResult { return checkOrders(g.st, ri, text) })
}

// MarshalSnapshot encodes the whole state (see the package documentation for
// the format). Restoring it and running the same orders reproduces every later
// turn byte for byte.
func (g *Game) MarshalSnapshot() ([]byte, error) { return marshalSnapshot(g.st) }

// RestoreSnapshot decodes a snapshot made by MarshalSnapshot; the reports
// of its last turn are rebuilt when first asked for. Unknown versions and
// corrupt data are errs.InvalidArgument errors.
func RestoreSnapshot(b []byte) (*Game, error) {
	st, err := unmarshalSnapshot(b)
	if err != nil {
		return nil, err
	}
	return &Game{st: st}, nil
}

// Report is one race's report of one turn: the classic text and the same
// content as data for clients.
type Report struct {
	Text string      `json:"text"`
	Data *ReportData `json:"data"`
}

// TurnResult is what RunTurn returns: the turn just run, the summary after it
// and every race's report.
type TurnResult struct {
	Turn    int               `json:"turn"`
	Summary Summary           `json:"summary"`
	Reports map[string]Report `json:"reports"`
}

// Summary is the public state of the game, as shown in turn lists.
type Summary struct {
	Races    []RaceSummary `json:"races"`
	Finished bool          `json:"finished"`
	Winners  []string      `json:"winners"` // race ids, best ranked first
}

// RaceSummary holds one race's totals. Races appear in the order given to New.
type RaceSummary struct {
	RaceID     string  `json:"race_id"`
	Planets    int     `json:"planets"`
	Population float64 `json:"population"`
	Industry   float64 `json:"industry"`
	Ships      int     `json:"ships"`
	Eliminated bool    `json:"eliminated"`
	// Production is the race's total production, the ranking criterion.
	Production float64 `json:"production"`
	// Rank is the race's place by total production (1 = best); eliminated
	// races rank after every surviving race.
	Rank int `json:"rank"`
}

// CheckResult is the answer to an order check.
type CheckResult struct {
	Accepted bool      `json:"accepted"` // true when there are no mistakes
	Errors   []Mistake `json:"errors"`   // never nil (empty slice)
	Forecast string    `json:"forecast"`
}

// Mistake is an order that cannot be carried out, with its 1-based line number
// in the order text.
type Mistake struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}
