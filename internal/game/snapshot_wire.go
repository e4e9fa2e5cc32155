package game

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
)

// This file holds the primitives of the version 2 snapshot encoding: every
// value is a varint, a byte or a length-prefixed string, so the encoding
// needs no reflection and no number formatting.

// wireWriter appends primitives to a byte slice.
type wireWriter struct {
	b []byte
	// nonFinite is set when a NaN or an infinity was written: a state never
	// holds one unless a rule is broken, and version 1 refused to encode
	// them, so the caller turns this into an error with the value's place.
	nonFinite bool
}

func (w *wireWriter) byte(v uint8) { w.b = append(w.b, v) }

func (w *wireWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

func (w *wireWriter) int(v int) { w.b = binary.AppendVarint(w.b, int64(v)) }

func (w *wireWriter) int64(v int64) { w.b = binary.AppendVarint(w.b, v) }

func (w *wireWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// float writes the exact bits of v, byte-reversed as a varint (as
// encoding/gob does): the high bytes (sign, exponent, top of the mantissa)
// come first, so 0 takes one byte and round values such as 2.5 two, while
// any value reads back bit for bit.
func (w *wireWriter) float(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.nonFinite = true
	}
	w.uint(bits.ReverseBytes64(math.Float64bits(v)))
}

func (w *wireWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

// count writes a slice's length. An empty slice reads back as nil: no rule
// tells them apart, and version 1 already dropped empty slices, so the
// bytes of a snapshot depend only on what the rules can see.
func (w *wireWriter) count(n int) { w.uint(uint64(n)) }

// writeSlice writes s with its count, each element with f.
func writeSlice[T any](w *wireWriter, s []T, f func(T)) {
	w.count(len(s))
	for _, v := range s {
		f(v)
	}
}

// wireReader reads primitives from a byte slice. The first problem is kept
// in err and every later read returns zero values, so decoders check err
// once per record rather than after every field.
type wireReader struct {
	b    []byte
	size int // of the whole input, to say where a problem is
	err  error
	// names interns short strings (ship type and fleet names repeat on
	// thousands of groups), so that decoding does not allocate them again.
	names map[string]string
}

func newWireReader(b []byte) *wireReader {
	return &wireReader{b: b, size: len(b), names: map[string]string{}}
}

// fail records the first problem and stops reading.
func (r *wireReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s at byte %d", fmt.Sprintf(format, args...), r.size-len(r.b))
	}
	r.b = nil
}

func (r *wireReader) byte() uint8 {
	if len(r.b) == 0 {
		r.fail("unexpected end of data")
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *wireReader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad or truncated number")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *wireReader) int64() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("bad or truncated number")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *wireReader) int() int {
	v := r.int64()
	if int64(int(v)) != v {
		r.fail("number out of range")
		return 0
	}
	return int(v)
}

// int32 reads an int that must fit in 32 bits (battle protocol entries).
func (r *wireReader) int32() int32 {
	v := r.int64()
	if v != int64(int32(v)) {
		r.fail("number out of range")
		return 0
	}
	return int32(v)
}

func (r *wireReader) bool() bool {
	switch r.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	r.fail("bad boolean")
	return false
}

// float reads a number written by wireWriter.float. NaN and infinities are
// refused: no state holds them, and no rule is written to cope with them.
func (r *wireReader) float() float64 {
	v := math.Float64frombits(bits.ReverseBytes64(r.uint()))
	if math.IsNaN(v) || math.IsInf(v, 0) {
		r.fail("number is not finite")
		return 0
	}
	return v
}

func (r *wireReader) str() string {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.fail("string longer than the data")
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// name reads a string like str, shared with earlier equal names.
func (r *wireReader) name() string {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.fail("string longer than the data")
		return ""
	}
	raw := r.b[:n]
	r.b = r.b[n:]
	if n > 64 {
		return string(raw)
	}
	if s, ok := r.names[string(raw)]; ok { // this lookup does not allocate
		return s
	}
	s := string(raw)
	r.names[s] = s
	return s
}

// count reads a slice count written by wireWriter.count. Every element
// takes at least minBytes, so a count the remaining data cannot hold is
// refused before anything is allocated: memory stays a small multiple of
// the input's size.
func (r *wireReader) count(minBytes int) int {
	n := r.uint()
	if n > uint64(len(r.b)/minBytes) {
		r.fail("count %d is more than the data holds", n)
		return 0
	}
	return int(n)
}

// readSlice reads a slice written by writeSlice, each element with f; an
// empty one is nil.
func readSlice[T any](r *wireReader, minBytes int, f func() T) []T {
	n := r.count(minBytes)
	if n == 0 {
		return nil
	}
	s := make([]T, n)
	for i := range s {
		s[i] = f()
		if r.err != nil {
			return nil
		}
	}
	return s
}
