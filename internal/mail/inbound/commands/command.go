package commands

// Kinds of Command.
const (
	KindGalaxy = "galaxy" // #GALAXY … #END: orders for a turn
	KindReport = "report" // #REPORT: a turn report is asked for
	KindRelay  = "relay"  // #RELAY … #END: a message for another race's player
)

// ToAll is the relay target that means every other race in the game.
const ToAll = "ALL"

// Bounds on one mail: far above what a player sends, low enough that one
// mail cannot turn into a flood of work or of reply lines.
const (
	MaxCommands = 20
	maxMistakes = 50
)

// Command is one command read from a mail.
type Command struct {
	// Kind is KindGalaxy, KindReport or KindRelay.
	Kind string
	// Line is the 1-based line of the command's header in the text.
	Line int
	// Game is the game's id or name, as written.
	Game string
	// Race is the sender's race name, as written.
	Race string
	// Password is the membership's orders password.
	Password string
	// Turn is the turn asked for; 0 means the default (the next turn to
	// run for orders, the latest for a report).
	Turn int
	// Final is set when FINALORDERS follows the password.
	Final bool
	// To is the relay target: a race name as written, or ToAll.
	To string
	// Body is the text between the header and #END, "\n"-joined, as
	// written (tabs kept). Quoted lines inside a block become empty lines,
	// so that body line k is always text line BodyLine+k-1.
	Body string
	// BodyLine is the 1-based line of the first body line in the text.
	BodyLine int
}

// Mistake is a line of the mail that could not be read as (part of) a
// command, as in game.Mistake: a 1-based line number and a message.
type Mistake struct {
	Line    int
	Message string
}

// Result is what Parse found in a mail.
type Result struct {
	Commands []Command
	Mistakes []Mistake
}
