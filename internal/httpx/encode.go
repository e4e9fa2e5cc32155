package httpx

import (
	"encoding/json"
	"net/http"
	"time"
	"unicode/utf8"
)

// The hottest reads encode their answers by hand, without reflection, with
// these helpers; their output is byte for byte what WriteJSON would write,
// which their tests check against encoding/json.

// WriteJSONBytes writes body, a JSON document ending in a newline (as
// WriteJSON's encoder ends it), with the given status.
func WriteJSONBytes(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// AppendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML characters included).
func AppendJSONString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			// Rare in the fields encoded by hand: let encoding/json escape
			// it rather than repeat its rules here.
			b, _ := json.Marshal(s)
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// AppendJSONTime appends t as encoding/json writes a time.Time (RFC 3339
// with nanoseconds, for the years 0 to 9999 a database holds).
func AppendJSONTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"')
}
