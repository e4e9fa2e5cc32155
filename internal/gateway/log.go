package gateway

import (
	"io"
	"log/slog"
	"strings"
)

// NewLogger writes JSON logs at level (debug, info, warn, error).
func NewLogger(w io.Writer, level string) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(level)))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lvl}))
}
