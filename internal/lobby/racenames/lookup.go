package racenames

import (
	"context"

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
