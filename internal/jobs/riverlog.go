package jobs

import (
	"context"
	"log/slog"
	"strings"
)

// periodicRiverMessages end the messages River logs at INFO over and over
// while all is well: every producer's job counts each 5 seconds while jobs
// run, and each maintenance pass that did something ("JobCleaner: Ran
// successfully").
var periodicRiverMessages = []string{": Producer job counts", ": Ran successfully"}

// riverLogHandler hands River's records to the process's handler, with its
// periodic heartbeat messages demoted from INFO to DEBUG: at INFO they bury
// everything else (`galaxy dev`'s banner among it) under lines that say
// nothing is wrong. Everything else, warnings and errors first, passes as is.
type riverLogHandler struct{ slog.Handler }

// newRiverLogger returns the logger River is given.
func newRiverLogger(logger *slog.Logger) *slog.Logger {
	return slog.New(riverLogHandler{logger.Handler()})
}

// Handle implements slog.Handler.
func (h riverLogHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level == slog.LevelInfo && isPeriodicRiverMessage(r.Message) {
		if !h.Enabled(ctx, slog.LevelDebug) {
			return nil
		}
		r = r.Clone()
		r.Level = slog.LevelDebug
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h riverLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return riverLogHandler{h.Handler.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (h riverLogHandler) WithGroup(name string) slog.Handler {
	return riverLogHandler{h.Handler.WithGroup(name)}
}

func isPeriodicRiverMessage(msg string) bool {
	for _, suffix := range periodicRiverMessages {
		if strings.HasSuffix(msg, suffix) {
			return true
		}
	}
	return false
}
