package web

import "encoding/base64"

// Cookie values cannot hold every character a message may contain.

func encodeFlash(s string) string {
	if len(s) > 300 {
		s = s[:300]
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeFlash(s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ""
	}
	return string(b)
}
