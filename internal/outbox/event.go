package outbox

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"regexp"
	"time"
)

// Event is one domain event as domain services hand it to PublishTx.
type Event struct {
	// ID identifies the event everywhere: the row's key, the envelope's id
	// and the Nats-Msg-Id header. Leave it empty to get a new UUIDv7; set it
	// (a UUID) only when the caller must know the id in advance.
	ID string
	// Type is the versioned event type, e.g. TypeGameStarted
	// ("game.started.v1"); it becomes the last part of the subject.
	Type string
	// AggregateType and AggregateID name the entity the event is about
	// (e.g. "game", "g_123"), for consumers and for operators' look-ups.
	AggregateType string
	AggregateID   string
	// Payload is marshalled to JSON as the envelope's data.
	Payload any
}

// Payload is implemented by the event payloads of this package, so that
// NewEvent can fill type and aggregate from the payload alone.
type Payload interface {
	// EventType returns the versioned event type.
	EventType() string
	// Aggregate returns the aggregate type and id the event is about.
	Aggregate() (aggregateType, aggregateID string)
}

// NewEvent builds the Event for a payload of this package.
func NewEvent(p Payload) Event {
	at, id := p.Aggregate()
	return Event{Type: p.EventType(), AggregateType: at, AggregateID: id, Payload: p}
}

// typePattern is what an event type may look like: dot-separated lowercase
// tokens, each a valid NATS subject token (no wildcards, no spaces).
var typePattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)

func (e Event) validate() error {
	switch {
	case !typePattern.MatchString(e.Type):
		return fmt.Errorf("event type %q is not dot-separated lowercase tokens", e.Type)
	case e.AggregateType == "":
		return fmt.Errorf("event %s has no aggregate type", e.Type)
	case e.AggregateID == "":
		return fmt.Errorf("event %s has no aggregate id", e.Type)
	}
	return nil
}

// NewID returns a new UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then
// random bits. Time-ordered ids keep inserts at the right edge of the
// primary key and make the claim order roughly the creation order.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[6:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(time.Now().UnixMilli()))
	copy(b[:6], ms[2:])
	b[6] = b[6]&0x0f | 0x70 // version 7
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}
