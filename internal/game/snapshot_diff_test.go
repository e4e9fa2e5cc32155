package game

import (
	"fmt"
	"math"
	"reflect"
)

// stateDiff describes the first difference between what a snapshot holds
// of two values (their exported fields, which are the snapshotted ones), or
// returns "" when there is none. Numbers compare bit for bit, as restored
// states must be bit-identical. A nil slice equals an empty one: snapshots
// do not keep the difference, and no rule may depend on it.
func stateDiff(a, b any) string {
	return diffValues(reflect.ValueOf(a), reflect.ValueOf(b), "state")
}

func diffValues(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + ": nil on one side only"
			}
			return ""
		}
		return diffValues(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			f := a.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if d := diffValues(a.Field(i), b.Field(i), path+"."+f.Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d elements and %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := diffValues(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Float32, reflect.Float64:
		if math.Float64bits(a.Float()) != math.Float64bits(b.Float()) {
			return fmt.Sprintf("%s: %v and %v", path, a.Float(), b.Float())
		}
		return ""
	case reflect.Bool, reflect.String,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if !a.Equal(b) {
			return fmt.Sprintf("%s: %v and %v", path, a, b)
		}
		return ""
	}
	// A kind the state did not use when this was written (a map, say):
	// teach the comparison and the snapshot encoding about it.
	return fmt.Sprintf("%s: cannot compare a %s", path, a.Kind())
}
