package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"
)

// upToDate reports whether every migration, ours and River's, is applied
// already, in one query on conn (the connection that holds the migration
// lock). That is the common case at start-up, and finding it out through
// goose and River's migrator cost a new connection each, several round
// trips and information_schema lookups: 60–70 ms of a cold start, against
// a few here. The query reads both version tables as the tools keep them
// (goose: a row per applied version; River: a row per version of its
// "main" line). Any error (a database not migrated yet, a layout changed
// by a newer River) answers false: the full path then runs, and reports
// real errors.
func upToDate(ctx context.Context, conn *pgxpool.Conn, provider *goose.Provider) bool {
	sources := provider.ListSources()
	ours := make([]int64, len(sources))
	for i, s := range sources {
		ours[i] = s.Version
	}
	all := newRiverMigrator(nil).AllVersions()
	rivers := make([]int64, len(all))
	for i, m := range all {
		rivers[i] = int64(m.Version)
	}
	var haveOurs, haveRivers int
	err := conn.QueryRow(ctx, `SELECT
		(SELECT count(DISTINCT version_id) FROM `+Schema+`.goose_db_version WHERE version_id = ANY($1)),
		(SELECT count(DISTINCT version) FROM `+Schema+`.river_migration WHERE line = 'main' AND version = ANY($2))`,
		ours, rivers).Scan(&haveOurs, &haveRivers)
	return err == nil && haveOurs == len(ours) && haveRivers == len(rivers)
}
