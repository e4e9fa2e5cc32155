package game

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// readStateV1 decodes the body of a version 1 snapshot: the state as JSON.
// Engines no longer write it, but games stored before version 2 restore
// from it. Unknown fields and anything after the state are refused.
func readStateV1(raw []byte) (*state, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	st := &state{}
	if err := dec.Decode(st); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unknown data after the state")
	}
	return st, nil
}
