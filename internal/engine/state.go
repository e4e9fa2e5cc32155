package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StateFileName is the name of the state file inside the state directory.
const StateFileName = "state.json"

// stateFormatVersion is bumped whenever stateFile changes incompatibly, so an
// engine never misreads a file written by another version.
const stateFormatVersion = 1

// tempPrefix marks files being written; leftovers from a crash are removed at
// load, never read.
const tempPrefix = ".state-"

// stateFile is the on-disk format of the state directory's single file. It
// holds everything needed to continue after a restart and to answer retried
// calls with the very bytes answered before:
//
//   - snapshot: game.MarshalSnapshot of the state after Turn;
//   - init_response: the body answered to the init that created this state,
//     kept only until the first turn runs (a re-init is idempotent only then);
//   - last_turn: the body answered for turn Turn (absent at turn 0).
//
// Response bodies are kept as raw JSON so that replays are byte-identical.
type stateFile struct {
	Version      int             `json:"version"`
	GameID       string          `json:"game_id"`
	InitHash     string          `json:"init_hash"`
	Turn         int             `json:"turn"`
	SavedAt      time.Time       `json:"saved_at"`
	Snapshot     []byte          `json:"snapshot"`
	InitResponse json.RawMessage `json:"init_response,omitempty"`
	LastTurn     json.RawMessage `json:"last_turn,omitempty"`
}

// stateStore reads and writes the state file. A zero dir means the engine
// keeps its state in memory only (tests, in-process use).
type stateStore struct {
	dir string
}

// path returns the state file's path.
func (s stateStore) path() string { return filepath.Join(s.dir, StateFileName) }

// load reads the state file. It returns nil and no error when there is no
// directory configured or no file yet (a fresh engine), and removes temp files
// left by a write that was interrupted: they were never renamed into place, so
// they hold nothing the engine ever acknowledged.
func (s stateStore) load() (*stateFile, error) {
	if s.dir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("read state dir: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			// Best effort: a leftover only costs disk space.
			_ = os.Remove(filepath.Join(s.dir, e.Name()))
		}
	}
	b, err := os.ReadFile(s.path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state file: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("decode state file %s: %w", s.path(), err)
	}
	if st.Version != stateFormatVersion {
		return nil, fmt.Errorf("state file %s has format version %d, this engine reads %d", s.path(), st.Version, stateFormatVersion)
	}
	if st.GameID == "" || len(st.Snapshot) == 0 {
		return nil, fmt.Errorf("state file %s lacks game_id or snapshot", s.path())
	}
	return &st, nil
}

// save replaces the state file atomically: write a temp file in the same
// directory, fsync it, rename it over the old file, fsync the directory. A
// crash at any point leaves either the old file or the new one, never a mix,
// and once save returns the new state survives power loss.
func (s stateStore) save(st *stateFile) error {
	if s.dir == "" {
		return nil
	}
	st.Version = stateFormatVersion
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	f, err := os.CreateTemp(s.dir, tempPrefix+"*.tmp")
	if err != nil {
		return fmt.Errorf("create temp state file: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("write temp state file: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync temp state file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close temp state file: %w", err)
	}
	if err := os.Rename(tmp, s.path()); err != nil {
		return fmt.Errorf("rename state file: %w", err)
	}
	ok = true
	return syncDir(s.dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open state dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync state dir: %w", err)
	}
	return nil
}
