package tail

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"time"

	"github.com/galaxy-platform/galaxy/internal/push/pushpb"
)

// Line is the JSON form of one printed event.
type Line struct {
	Epoch   string   `json:"epoch"`
	Cursor  uint64   `json:"cursor"`
	UserIDs []string `json:"user_ids"`
	Kind    string   `json:"kind"`
	// Payload is the event's payload itself when it is valid JSON, and
	// otherwise a base64 string (PayloadEncoding "base64"); null when empty.
	Payload         json.RawMessage `json:"payload"`
	PayloadEncoding string          `json:"payload_encoding,omitempty"`
	CreatedAt       string          `json:"created_at"`
	Resync          bool            `json:"resync"`
}

// NewLine renders ev.
func NewLine(ev *pushpb.PushEvent) Line {
	l := Line{
		Epoch:   ev.GetEpoch(),
		Cursor:  ev.GetCursor(),
		UserIDs: ev.GetUserIds(),
		Kind:    ev.GetKind(),
		Resync:  ev.GetResync(),
	}
	if l.UserIDs == nil {
		l.UserIDs = []string{} // [] reads better than null in a log of events
	}
	if ev.GetCreatedAt() != nil {
		l.CreatedAt = ev.GetCreatedAt().AsTime().UTC().Format(time.RFC3339Nano)
	}
	switch p := ev.GetPayload(); {
	case len(p) == 0:
	case json.Valid(p):
		l.Payload = p
	default:
		b, _ := json.Marshal(base64.StdEncoding.EncodeToString(p))
		l.Payload = b
		l.PayloadEncoding = "base64"
	}
	return l
}

// writeLine writes ev as one JSON line.
func writeLine(w io.Writer, ev *pushpb.PushEvent) error {
	b, err := json.Marshal(NewLine(ev))
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
