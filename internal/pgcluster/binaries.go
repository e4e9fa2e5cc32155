package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// ErrNoBinaries is returned when no PostgreSQL server binaries can be found.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl) not found. " +
	"Install them (Debian/Ubuntu: `apt-get install postgresql-15`; Fedora: `dnf install postgresql15-server`; " +
	"macOS: `brew install postgresql@15`) and make sure initdb and pg_ctl are on PATH, " +
	"or set BACKEND_POSTGRES_DSN to an existing database")

// findBinDir locates the directory holding initdb and pg_ctl: PATH first,
// then the versioned directories Debian installs into (newest first), because
// Debian keeps server binaries off PATH.
func findBinDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	candidates, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(candidates)))
	for _, dir := range candidates {
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

// Tool returns the path of a PostgreSQL client program such as psql: the one
// on PATH, else the one beside the server binaries (Debian keeps those off
// PATH).
func Tool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	dir, err := findBinDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s is not installed (Debian/Ubuntu: `apt-get install postgresql-client`): %w", name, err)
	}
	return p, nil
}
