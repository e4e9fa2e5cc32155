package outbox

import "time"

// Event types. The version is part of the type, and so of the subject: a
// change that breaks consumers (a field removed, renamed or re-typed) is a
// new type ("….v2") published next to the old one until consumers moved;
// adding an optional field is not a new version. docs/events.md describes
// every schema.
const (
	TypeUserRegistered     = "user.registered.v1"
	TypeUserBlocked        = "user.blocked.v1"
	TypeUserUnblocked      = "user.unblocked.v1"
	TypeGameCreated        = "game.created.v1"
	TypeGameStatusChanged  = "game.status_changed.v1"
	TypeGameStarted        = "game.started.v1"
	TypeGameTurnCompleted  = "game.turn_completed.v1"
	TypeGameFinished       = "game.finished.v1"
	TypeMembershipChanged  = "membership.changed.v1"
	TypeRaceNameRegistered = "race_name.registered.v1"
	TypeGameAbsenceSet     = "game.absence_set.v1"
	TypeGameRaceIdle       = "game.race_idle.v1"
	TypeGameRaceHandedOver = "game.race_handed_over.v1"
)

// Types lists every event type this package defines, for documentation
// checks and for consumers that subscribe to each explicitly.
var Types = []string{
	TypeUserRegistered, TypeUserBlocked, TypeUserUnblocked,
	TypeGameCreated, TypeGameStatusChanged, TypeGameStarted, TypeGameTurnCompleted, TypeGameFinished,
	TypeMembershipChanged, TypeRaceNameRegistered, TypeGameAbsenceSet, TypeGameRaceIdle, TypeGameRaceHandedOver,
}

// Aggregate types.
const (
	AggregateUser     = "user"
	AggregateGame     = "game"
	AggregateRaceName = "race_name"
)

// UserRegistered is published when an account is created (first successful
// sign-in).
type UserRegistered struct {
	UserID       string    `json:"user_id"`
	DisplayName  string    `json:"display_name"`
	Timezone     string    `json:"timezone"`
	Country      string    `json:"country"` // ISO 3166-1 alpha-2 from geo; "" when unknown
	RegisteredAt time.Time `json:"registered_at"`
}

// EventType implements Payload.
func (UserRegistered) EventType() string { return TypeUserRegistered }

// Aggregate implements Payload.
func (p UserRegistered) Aggregate() (string, string) { return AggregateUser, p.UserID }

// UserBlocked is published when an administrator blocks an account, for a
// while or for good.
type UserBlocked struct {
	UserID    string    `json:"user_id"`
	Permanent bool      `json:"permanent"`
	Reason    string    `json:"reason"`
	BlockedBy string    `json:"blocked_by"` // administrator id
	BlockedAt time.Time `json:"blocked_at"`
}

// EventType implements Payload.
func (UserBlocked) EventType() string { return TypeUserBlocked }

// Aggregate implements Payload.
func (p UserBlocked) Aggregate() (string, string) { return AggregateUser, p.UserID }

// UserUnblocked is published when a block is lifted.
type UserUnblocked struct {
	UserID      string    `json:"user_id"`
	UnblockedBy string    `json:"unblocked_by"` // administrator id
	UnblockedAt time.Time `json:"unblocked_at"`
}

// EventType implements Payload.
func (UserUnblocked) EventType() string { return TypeUserUnblocked }

// Aggregate implements Payload.
func (p UserUnblocked) Aggregate() (string, string) { return AggregateUser, p.UserID }

// GameCreated is published when a game is created in the lobby.
type GameCreated struct {
	GameID      string    `json:"game_id"`
	Name        string    `json:"name"`
	OwnerUserID string    `json:"owner_user_id"` // "" for games created by administrators
	Visibility  string    `json:"visibility"`    // "public" or "private"
	Status      string    `json:"status"`        // the initial lobby status
	MinPlayers  int       `json:"min_players"`
	MaxPlayers  int       `json:"max_players"`
	CreatedAt   time.Time `json:"created_at"`
}

// EventType implements Payload.
func (GameCreated) EventType() string { return TypeGameCreated }

// Aggregate implements Payload.
func (p GameCreated) Aggregate() (string, string) { return AggregateGame, p.GameID }

// GameStatusChanged is published on every transition of the lobby state
// machine. The milestones (started, finished) also have events of their own.
type GameStatusChanged struct {
	GameID    string    `json:"game_id"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Trigger   string    `json:"trigger"` // what caused it, e.g. "owner", "admin", "schedule", "external_block"
	ChangedAt time.Time `json:"changed_at"`
}

// EventType implements Payload.
func (GameStatusChanged) EventType() string { return TypeGameStatusChanged }

// Aggregate implements Payload.
func (p GameStatusChanged) Aggregate() (string, string) { return AggregateGame, p.GameID }

// GameStarted is published when a game's engine runs and turn 0 exists.
type GameStarted struct {
	GameID    string    `json:"game_id"`
	Players   int       `json:"players"`
	StartedAt time.Time `json:"started_at"`
}

// EventType implements Payload.
func (GameStarted) EventType() string { return TypeGameStarted }

// Aggregate implements Payload.
func (p GameStarted) Aggregate() (string, string) { return AggregateGame, p.GameID }

// GameTurnCompleted is published when the engine has produced turn Turn.
type GameTurnCompleted struct {
	GameID      string     `json:"game_id"`
	Turn        int        `json:"turn"`
	CompletedAt time.Time  `json:"completed_at"`
	NextTurnAt  *time.Time `json:"next_turn_at"` // null when no further turn is scheduled
}

// EventType implements Payload.
func (GameTurnCompleted) EventType() string { return TypeGameTurnCompleted }

// Aggregate implements Payload.
func (p GameTurnCompleted) Aggregate() (string, string) { return AggregateGame, p.GameID }

// GameFinished is published when a game ends, by the rules or by an
// operator.
type GameFinished struct {
	GameID        string    `json:"game_id"`
	FinalTurn     int       `json:"final_turn"`
	Outcome       string    `json:"outcome"`         // "victory", "draw" or "cancelled"
	WinnerUserIDs []string  `json:"winner_user_ids"` // empty unless outcome is "victory"
	FinishedAt    time.Time `json:"finished_at"`
}

// EventType implements Payload.
func (GameFinished) EventType() string { return TypeGameFinished }

// Aggregate implements Payload.
func (p GameFinished) Aggregate() (string, string) { return AggregateGame, p.GameID }

// MembershipChanged is published when a player's membership in a game
// changes status (joined, left, removed, blocked…). Its aggregate is the game.
type MembershipChanged struct {
	GameID    string    `json:"game_id"`
	UserID    string    `json:"user_id"`
	RaceName  string    `json:"race_name"`
	From      string    `json:"from"` // "" when the membership is new
	To        string    `json:"to"`
	Reason    string    `json:"reason"`
	ChangedAt time.Time `json:"changed_at"`
}

// EventType implements Payload.
func (MembershipChanged) EventType() string { return TypeMembershipChanged }

// Aggregate implements Payload.
func (p MembershipChanged) Aggregate() (string, string) { return AggregateGame, p.GameID }

// RaceNameRegistered is published when a race name becomes registered to a
// player in the Race Name Directory.
type RaceNameRegistered struct {
	RaceName     string    `json:"race_name"`
	CanonicalKey string    `json:"canonical_key"` // the directory's case- and accent-folded key
	UserID       string    `json:"user_id"`
	GameID       string    `json:"game_id"` // the game it was earned in; "" when not from a game
	RegisteredAt time.Time `json:"registered_at"`
}

// EventType implements Payload.
func (RaceNameRegistered) EventType() string { return TypeRaceNameRegistered }

// Aggregate implements Payload.
func (p RaceNameRegistered) Aggregate() (string, string) { return AggregateRaceName, p.CanonicalKey }

// GameAbsenceSet is published when a player excuses their race for the
// coming turns.
type GameAbsenceSet struct {
	GameID          string    `json:"game_id"`
	UserID          string    `json:"user_id"`
	RaceName        string    `json:"race_name"`
	AbsentUntilTurn int       `json:"absent_until_turn"`
	SetAt           time.Time `json:"set_at"`
}

// EventType implements Payload.
func (GameAbsenceSet) EventType() string { return TypeGameAbsenceSet }

// Aggregate implements Payload.
func (p GameAbsenceSet) Aggregate() (string, string) { return AggregateGame, p.GameID }

// GameRaceIdle is published when the game's idle policy takes a silent race
// in hand (policy "bot": the bot plays it from this turn; "substitute": the
// bot plays it and it is offered to a new player) or gives it back
// (handed_back: its player's own orders ran again).
type GameRaceIdle struct {
	GameID     string    `json:"game_id"`
	UserID     string    `json:"user_id"`
	Turn       int       `json:"turn"`
	Policy     string    `json:"policy"`
	HandedBack bool      `json:"handed_back"`
	At         time.Time `json:"at"`
}

// EventType implements Payload.
func (GameRaceIdle) EventType() string { return TypeGameRaceIdle }

// Aggregate implements Payload.
func (p GameRaceIdle) Aggregate() (string, string) { return AggregateGame, p.GameID }

// GameRaceHandedOver is published when a substitute takes over a race
// offered under the substitute idle policy: the race (its id, name, planets
// and history) stays; its player changes.
type GameRaceHandedOver struct {
	GameID     string    `json:"game_id"`
	RaceName   string    `json:"race_name"`
	FromUserID string    `json:"from_user_id"`
	ToUserID   string    `json:"to_user_id"`
	ClaimID    string    `json:"claim_id"`
	Turn       int       `json:"turn"`
	At         time.Time `json:"at"`
}

// EventType implements Payload.
func (GameRaceHandedOver) EventType() string { return TypeGameRaceHandedOver }

// Aggregate implements Payload.
func (p GameRaceHandedOver) Aggregate() (string, string) { return AggregateGame, p.GameID }
