package racenames

import (
	"context"
	"strconv"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/lobby/racenames/racenamesstore"
	"github.com/galaxy-platform/galaxy/internal/postgres"
)

// Lookup answers GET /public/race-names/{name}: the name's canonical key,
// and whether nobody holds it (a pending registration whose window has
// closed holds nothing, even before the expirer has dropped it). Available
// is a snapshot: Reserve decides for good.
//
// Errors: InvalidArgument when name is not a valid race name; Unavailable
// when the database is busy or unreachable.
func (d *Directory) Lookup(ctx context.Context, q DBTX, name string) (canonical string, available bool, err error) {
	key, err := Canonical(name)
	if err != nil {
		return "", false, err
	}
	live, err := racenamesstore.New(q).CountLiveBindings(ctx, racenamesstore.CountLiveBindingsParams{CanonicalKey: key, Now: d.clock()})
	if err != nil {
		return "", false, postgres.Translate(err)
	}
	return key, live == 0, nil
}

// ListByUser answers GET /user/race-names: every binding of userID, oldest
// first, lapsed pending registrations included until the expirer drops them
// (their EligibleUntil tells). A user with no names gets an empty slice.
//
// Errors: Unavailable when the database is busy or unreachable.
func (d *Directory) ListByUser(ctx context.Context, q DBTX, userID string) ([]Binding, error) {
	rows, err := racenamesstore.New(q).ListUserBindings(ctx, userID)
	if err != nil {
		return nil, postgres.Translate(err)
	}
	out := make([]Binding, len(rows))
	for i, r := range rows {
		out[i] = bindingFrom(r)
	}
	return out, nil
}

// PageByUser returns one page of userID's bindings, oldest first, and the
// cursor of the next page (nil on the last).
func (d *Directory) PageByUser(ctx context.Context, q DBTX, userID string, limit int, after *httpx.Cursor) ([]Binding, *httpx.Cursor, error) {
	p := racenamesstore.PageUserBindingsParams{HolderUserID: userID, MaxRows: int32(limit + 1)}
	if after != nil {
		id, err := strconv.ParseInt(after.ID, 10, 64)
		if err != nil {
			return nil, nil, errs.E(errs.InvalidArgument, "cursor is not one this server issued").WithDetail("field", "cursor")
		}
		p.AfterCreated, p.AfterID = &after.At, &id
	}
	rows, err := racenamesstore.New(q).PageUserBindings(ctx, p)
	if err != nil {
		return nil, nil, postgres.Translate(err)
	}
	rows, next := httpx.PageOf(rows, limit, func(r racenamesstore.RaceName) httpx.Cursor {
		return httpx.Cursor{At: r.CreatedAt, ID: strconv.FormatInt(r.BindingID, 10)}
	})
	out := make([]Binding, len(rows))
	for i, r := range rows {
		out[i] = bindingFrom(r)
	}
	return out, next, nil
}
