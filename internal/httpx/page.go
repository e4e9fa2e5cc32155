package httpx

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Paging defaults of the contract.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Limit validates an optional ?limit= value: absent means DefaultLimit, and
// anything outside 1..MaxLimit is invalid_argument.
func Limit(limit *int) (int, error) {
	if limit == nil {
		return DefaultLimit, nil
	}
	if *limit < 1 || *limit > MaxLimit {
		return 0, errs.E(errs.InvalidArgument, "limit must be between 1 and %d", MaxLimit).WithDetail("limit", *limit)
	}
	return *limit, nil
}

// Cursor is a keyset position: the sort time and id of the last item seen.
type Cursor struct {
	At time.Time
	ID string
}

// Encode makes the opaque next_cursor string.
func (c Cursor) Encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.At.UTC().Format(time.RFC3339Nano) + "|" + c.ID))
}

// DecodeCursor parses an optional ?cursor=; nil means the first page.
func DecodeCursor(s *string) (*Cursor, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	bad := errs.E(errs.InvalidArgument, "cursor is not one this server issued").WithDetail("cursor", *s)
	raw, err := base64.RawURLEncoding.DecodeString(*s)
	if err != nil {
		return nil, bad
	}
	at, id, ok := strings.Cut(string(raw), "|")
	if !ok {
		return nil, bad
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return nil, bad
	}
	return &Cursor{At: t, ID: id}, nil
}

// Paging validates ?limit= and ?cursor= together.
func Paging(limit *int, cursor *string) (int, *Cursor, error) {
	n, err := Limit(limit)
	if err != nil {
		return 0, nil, err
	}
	after, err := DecodeCursor(cursor)
	return n, after, err
}
