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

// PageOf cuts rows, fetched with limit+1 so that one more row than the page
// tells whether another page follows, to limit, and returns the cursor of
// the next page: key names the last row shown; nil on the last page. Every
// keyset-paged list goes through it, so each says "more" the same way.
func PageOf[T any](rows []T, limit int, key func(T) Cursor) ([]T, *Cursor) {
	if len(rows) <= limit {
		return rows, nil
	}
	rows = rows[:limit]
	next := key(rows[len(rows)-1])
	return rows, &next
}

// NextCursor renders an optional next-page cursor for a list's
// next_cursor field (absent on the last page).
func NextCursor(c *Cursor) *string {
	if c == nil {
		return nil
	}
	s := c.Encode()
	return &s
}

// compare orders cursors by time, then id.
func (c Cursor) compare(o Cursor) int {
	if c := c.At.Compare(o.At); c != 0 {
		return c
	}
	return strings.Compare(c.ID, o.ID)
}

// PageAfter pages a short list read whole (a game's members, applications,
// invites): rows, in the list's order by key (ascending when asc, else
// descending), after the cursor, cut to limit, with the cursor of the next
// page. It keeps the keyset rule of the SQL lists: a row inserted between
// two calls never shifts the pages, so nothing is shown twice or skipped.
func PageAfter[T any](rows []T, limit int, after *Cursor, asc bool, key func(T) Cursor) ([]T, *Cursor) {
	if after != nil {
		start := len(rows)
		for i, r := range rows {
			c := key(r).compare(*after)
			if asc && c > 0 || !asc && c < 0 {
				start = i
				break
			}
		}
		rows = rows[start:]
	}
	return PageOf(rows, limit, key)
}
