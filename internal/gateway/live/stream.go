package live

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// serve runs one stream until it ends: the Conn ends (dropped, revoked,
// Hub closed), a write fails, or gone (the request's context, when there
// is one) is closed.
func (h *Handler) serve(c *Conn, out sink, gone <-chan struct{}) {
	defer h.streams.Done()
	defer c.Close()
	err := out.start(h.retry)
	if err == nil {
		err = h.loop(c, out, gone)
	} else {
		if errors.Is(err, http.ErrNotSupported) {
			// A middleware hides http.Flusher: no stream can work.
			h.logger.Error("live: response writer cannot flush; SSE impossible", "error", err)
		}
		h.logEnd(c, "write_failed", err)
	}
	out.end(err == nil)
}

// loop forwards messages and pings when idle. It returns the error of a
// failed write, nil for any other end.
func (h *Handler) loop(c *Conn, out sink, gone <-chan struct{}) error {
	heartbeat := time.NewTicker(h.heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case m := <-c.Events():
			if err := h.forward(c, out, m); err != nil {
				h.logEnd(c, "write_failed", err)
				return err
			}
		case <-heartbeat.C:
			if err := h.send(out, pingFrame); err != nil {
				h.logEnd(c, "write_failed", err)
				return err
			}
		case <-c.Done():
			reason := c.Err()
			var err error
			if !errors.Is(reason, ErrTooSlow) {
				// Nothing more can be queued: deliver what was published
				// before the end (the revocation event, say).
				err = h.drain(c, out)
			}
			h.logEnd(c, endReason(reason), err)
			return err
		case <-gone:
			h.logEnd(c, "client_gone", nil)
			return nil
		}
	}
}

// forward writes m and whatever else is already queued, then flushes
// once: under a burst, one syscall carries many events.
func (h *Handler) forward(c *Conn, out sink, m *Message) error {
	n := uint64(1)
	if err := out.write(m.frame); err != nil {
		return err
	}
	for more := len(c.queue); more > 0; more-- {
		m = <-c.queue // only this goroutine receives, so it cannot block
		if err := out.write(m.frame); err != nil {
			return err
		}
		n++
	}
	if err := out.flush(); err != nil {
		return err
	}
	h.hub.delivered.Add(n)
	return nil
}

// send writes and flushes one frame that is not an event.
func (h *Handler) send(out sink, frame []byte) error {
	if err := out.write(frame); err != nil {
		return err
	}
	return out.flush()
}

// drain delivers the messages still queued on an ended stream.
func (h *Handler) drain(c *Conn, out sink) error {
	select {
	case m := <-c.queue:
		return h.forward(c, out, m)
	default:
		return nil
	}
}

// logEnd records why a stream ended.
func (h *Handler) logEnd(c *Conn, reason string, err error) {
	level := slog.LevelDebug
	if reason == "too_slow" {
		level = slog.LevelInfo
	}
	// Not the request's context: a hijacked stream outlives it.
	h.logger.Log(context.Background(), level, "live stream ended",
		"user_id", c.userID, "reason", reason, "error", err)
}

// endReason names why a Conn ended, for logs.
func endReason(err error) string {
	switch {
	case errors.Is(err, ErrTooSlow):
		return "too_slow"
	case errors.Is(err, ErrRevoked):
		return "revoked"
	case errors.Is(err, ErrHubClosed):
		return "shutdown"
	default:
		return "closed"
	}
}
