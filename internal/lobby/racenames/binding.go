package racenames

import (
	"time"

	"github.com/galaxy-platform/galaxy/internal/lobby/racenames/racenamesstore"
)

// Kind is how a user holds a name; the values are the contract's
// binding_kind strings.
type Kind string

// The binding kinds.
const (
	// KindReservation holds a name for one game while the user applies to
	// it or plays in it.
	KindReservation Kind = "reservation"
	// KindPendingRegistration is a reservation whose race survived a
	// finished game: the user may register the name until EligibleUntil.
	KindPendingRegistration Kind = "pending_registration"
	// KindRegistered is a name the user owns platform-wide, for good.
	KindRegistered Kind = "registered"
)

// PendingRegistrationWindow is how long after a game finishes its survivors
// may register the names they played under. Final for now; the runbook
// reserves LOBBY_PENDING_REGISTRATION_TTL_HOURS for a future override.
const PendingRegistrationWindow = 30 * 24 * time.Hour

// Binding is one way a user holds a name.
type Binding struct {
	// Name is the name as the user typed it (NFC), for display.
	Name string
	// CanonicalKey is the key names are compared by (see Canonical).
	CanonicalKey string
	HolderUserID string
	// GameID is the game of a reservation or pending registration; nil for
	// a registered name.
	GameID *string
	Kind   Kind
	// EligibleUntil is set on pending registrations only: the end of the
	// window in which Register accepts them.
	EligibleUntil *time.Time
	CreatedAt     time.Time
}

func bindingFrom(r racenamesstore.RaceName) Binding {
	return Binding{
		Name:          r.Name,
		CanonicalKey:  r.CanonicalKey,
		HolderUserID:  r.HolderUserID,
		GameID:        r.GameID,
		Kind:          Kind(r.BindingKind),
		EligibleUntil: r.EligibleUntil,
		CreatedAt:     r.CreatedAt,
	}
}
