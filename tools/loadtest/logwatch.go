package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync"
)

// logWatch passes the platform's JSON logs through and counts its warnings
// and errors by message: a run whose requests all succeed can still hide
// failed jobs or retried turns, which only the logs show.
type logWatch struct {
	w      io.Writer
	closer io.Closer

	mu       sync.Mutex
	messages map[logKey]int
}

// logKey is one kind of log line.
type logKey struct{ level, msg string }

// Write implements io.Writer; slog writes one record per call.
func (l *logWatch) Write(p []byte) (int, error) {
	var rec struct {
		Level  string `json:"level"`
		Msg    string `json:"msg"`
		Status int    `json:"status"` // of "http request" lines
	}
	if json.Unmarshal(p, &rec) == nil && (rec.Level == "WARN" || rec.Level == "ERROR") {
		if rec.Status != 0 {
			rec.Msg = fmt.Sprintf("%s (status %d)", rec.Msg, rec.Status)
		}
		l.mu.Lock()
		if l.messages == nil {
			l.messages = map[logKey]int{}
		}
		l.messages[logKey{rec.Level, rec.Msg}]++
		l.mu.Unlock()
	}
	return l.w.Write(p)
}

// Close closes the log file.
func (l *logWatch) Close() error { return l.closer.Close() }

// logCount is how often one kind of line was logged.
type logCount struct {
	Level, Msg string
	N          int
}

// counts returns the warnings and errors logged, errors first, then the
// most frequent.
func (l *logWatch) counts() []logCount {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]logCount, 0, len(l.messages))
	for k, n := range l.messages {
		out = append(out, logCount{Level: k.level, Msg: k.msg, N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Level != out[j].Level {
			return out[i].Level == "ERROR"
		}
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Msg < out[j].Msg
	})
	return out
}
