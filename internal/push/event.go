package push

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

// Event is what a domain service publishes: who it is for, what happened,
// and the body (usually JSON) that gateways forward to those users.
type Event struct {
	// UserIDs are the recipients.
	UserIDs []string
	// Kind names the event, e.g. "game.turn.ready".
	Kind string
	// Payload is the body; the push stream never looks inside it.
	Payload []byte
}

// Record is an Event as buffered and delivered: its position in the stream
// and when it was published. Records are immutable once published, which is
// why subscribers can share them without copying.
type Record struct {
	Event
	// Cursor is the record's position within the Service's epoch, from 1.
	Cursor uint64
	// CreatedAt is when Publish accepted the event (UTC).
	CreatedAt time.Time
	// Resync marks the synthetic first record of a subscription that could
	// not be resumed: it carries no event, only the position to resume from.
	Resync bool
}

// toProto renders r for the wire, stamped with epoch.
func toProto(epoch string, r Record) *pushpb.PushEvent {
	return &pushpb.PushEvent{
		Epoch:     epoch,
		Cursor:    r.Cursor,
		UserIds:   r.UserIDs,
		Kind:      r.Kind,
		Payload:   r.Payload,
		CreatedAt: timestamppb.New(r.CreatedAt),
		Resync:    r.Resync,
	}
}
