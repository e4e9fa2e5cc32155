package game

import (
	"encoding/json"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// SnapshotJSON decodes and checks a snapshot of either version and returns
// its state as indented JSON, for people investigating a game: version 2 is
// binary, and this is what version 1 held. Wrapped as a version 1 snapshot
// the JSON restores to the same state. Errors are RestoreSnapshot's.
func SnapshotJSON(b []byte) ([]byte, error) {
	st, err := unmarshalSnapshot(b)
	if err != nil {
		return nil, err
	}
	js, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, errs.Wrap(err, errs.Internal, "encode snapshot as JSON")
	}
	return js, nil
}
