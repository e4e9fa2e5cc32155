package live

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Event kinds the package itself gives meaning to.
const (
	// KindResync is the kind of the event every browser receives when
	// events may have been lost: the page should reload its state.
	KindResync = "resync"
	// KindSessionRevoked is the backend's event for revoked sessions; the
	// Hub ends the streams of the sessions it names after delivering it.
	KindSessionRevoked = "auth.session.revoked"
)

// Event is one push event as the Hub takes it.
type Event struct {
	// Kind names the event ("game.turn.ready"); it becomes the SSE event
	// name, so it must be non-empty and on one line.
	Kind string
	// Payload is the event's JSON body; empty means {}.
	Payload []byte
	// UserIDs are the recipients.
	UserIDs []string
	// Resync says events may have been lost: Kind, Payload and UserIDs are
	// ignored and every stream receives a KindResync event.
	Resync bool
}

// Message is an event as delivered to one browser stream. Messages are
// shared, read-only, by every stream they are delivered to.
type Message struct {
	// Kind is the event's kind.
	Kind string
	// Data is the payload as compact JSON, on one line.
	Data []byte
	// frame is the SSE encoding, rendered once for every recipient.
	frame []byte
}

// resyncMessage is sent to every stream when the backend resyncs.
var resyncMessage = mustMessage(KindResync, nil)

// newMessage validates and renders an event for the wire. The payload is
// compacted because an SSE data line ends at the first newline: compact
// JSON has none (newlines inside strings are escaped), so one data line
// always carries the whole payload.
func newMessage(kind string, payload []byte) (*Message, error) {
	if kind == "" || strings.ContainsAny(kind, "\r\n") {
		return nil, fmt.Errorf("live: invalid event kind %q", kind)
	}
	data := []byte("{}")
	if len(bytes.TrimSpace(payload)) > 0 {
		var buf bytes.Buffer
		if err := json.Compact(&buf, payload); err != nil {
			return nil, fmt.Errorf("live: event %q: payload is not JSON: %w", kind, err)
		}
		data = buf.Bytes()
	}
	frame := make([]byte, 0, len("event: \ndata: \n\n")+len(kind)+len(data))
	frame = append(frame, "event: "...)
	frame = append(frame, kind...)
	frame = append(frame, "\ndata: "...)
	frame = append(frame, data...)
	frame = append(frame, "\n\n"...)
	// Data aliases the frame so the payload is stored once.
	start := len("event: ") + len(kind) + len("\ndata: ")
	return &Message{Kind: kind, Data: frame[start : start+len(data) : start+len(data)], frame: frame}, nil
}

func mustMessage(kind string, payload []byte) *Message {
	m, err := newMessage(kind, payload)
	if err != nil {
		panic(err)
	}
	return m
}
