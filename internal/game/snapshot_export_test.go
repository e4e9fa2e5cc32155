package game

import "testing"

// SnapshotStateDiff describes the first difference between the states of
// two games, as stateDiff does, for the tests of package game_test.
func SnapshotStateDiff(a, b *Game) string { return stateDiff(a.st, b.st) }

// SnapshotV1 encodes g as a version 1 snapshot, for the tests of package
// game_test.
func SnapshotV1(tb testing.TB, g *Game) []byte { return v1Snapshot(tb, g.st) }
