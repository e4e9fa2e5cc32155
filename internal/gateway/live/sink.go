package live

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"
)

// pingFrame is an SSE comment: browsers ignore it, proxies see traffic.
var pingFrame = []byte(": ping\n\n")

// retryFrame renders the SSE field that sets how long EventSource waits
// before reconnecting.
func retryFrame(d time.Duration) []byte {
	return []byte("retry: " + strconv.FormatInt(d.Milliseconds(), 10) + "\n\n")
}

// sink is where one stream's bytes go. Frames are added with write and
// sent together by flush, within the write timeout: a browser that stops
// reading would otherwise block its stream in a write forever once the
// socket buffers fill.
type sink interface {
	// start sends the response headers and first frame.
	start(first []byte) error
	write(frame []byte) error
	flush() error
	// end finishes the response; clean says no write failed.
	end(clean bool)
}

// connSink writes a stream straight to a hijacked HTTP/1.x connection:
// the response is "Connection: close" with no chunked framing, and each
// flush is a single write (a writev for several frames) of the frames
// themselves, which are shared, not copied.
type connSink struct {
	conn    net.Conn
	header  []byte // status line and headers, sent by start
	timeout time.Duration
	pending net.Buffers
}

// hijackSink takes over w's connection, or returns nil when it cannot:
// HTTP/2, or a ResponseWriter that hides the connection.
//
// Why: net/http keeps, per HTTP/1.x connection, a 4 KiB read buffer, a
// 4 KiB write buffer, a 2 KiB chunking buffer, a goroutine whose stack
// holds the whole server call chain (8 KiB) and a background-read
// goroutine: about 27 KiB per idle stream, measured. Once hijacked and the
// handler returned, all of that is freed, and the stream costs a goroutine
// with a small stack plus its queue (see BenchmarkSSEConnections).
func hijackSink(w http.ResponseWriter, r *http.Request, timeout time.Duration) *connSink {
	if r.ProtoMajor != 1 {
		return nil
	}
	hdr := w.Header()
	if hdr.Get("Date") == "" {
		hdr.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\n")
	// Every header set so far, middlewares' included.
	if err := hdr.Write(&head); err != nil {
		return nil
	}
	// The body ends when the connection closes: no chunked encoding
	// needed, and the connection is never reused.
	head.WriteString("Connection: close\r\n\r\n")
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil // nothing was written: serve the stream in place
	}
	return &connSink{conn: conn, header: head.Bytes(), timeout: timeout}
}

func (s *connSink) start(first []byte) error {
	head := append(s.header, first...)
	s.header = nil
	if err := s.write(head); err != nil {
		return err
	}
	return s.flush()
}

func (s *connSink) write(frame []byte) error {
	s.pending = append(s.pending, frame)
	return nil
}

func (s *connSink) flush() error {
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.timeout)); err != nil {
		return err
	}
	var err error
	if len(s.pending) == 1 {
		_, err = s.conn.Write(s.pending[0]) // the usual case: no writev
	} else {
		bufs := s.pending // WriteTo consumes its receiver
		_, err = bufs.WriteTo(s.conn)
	}
	clear(s.pending) // do not keep messages alive
	s.pending = s.pending[:0]
	return err
}

// end closes the connection: that is how the browser learns the stream
// ended (EventSource then reconnects).
func (s *connSink) end(bool) { _ = s.conn.Close() }

// responseSink streams through the ResponseWriter (HTTP/2, or HTTP/1.x
// behind a wrapper that cannot hijack).
type responseSink struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	armed   bool // the deadline is set for the batch being written
}

func newResponseSink(w http.ResponseWriter, r *http.Request, timeout time.Duration) *responseSink {
	rc := http.NewResponseController(w)
	if r.ProtoMajor == 1 {
		// A stream's connection is not reused: the write deadline it
		// leaves behind would fail the next response on it. (In HTTP/2
		// deadlines are per stream, and "Connection: close" would close
		// every other stream of the connection.)
		w.Header().Set("Connection", "close")
	}
	return &responseSink{w: w, rc: rc, timeout: timeout}
}

func (s *responseSink) start(first []byte) error {
	s.w.WriteHeader(http.StatusOK)
	if err := s.write(first); err != nil {
		return err
	}
	return s.flush()
}

// write adds frame to the batch. The first write of a batch sets the
// deadline, since a big frame reaches the socket before flush. The
// deadline also replaces the server's WriteTimeout, which would cut every
// stream after a fixed time.
func (s *responseSink) write(frame []byte) error {
	if !s.armed {
		if err := s.deadline(time.Now().Add(s.timeout)); err != nil {
			return err
		}
		s.armed = true
	}
	_, err := s.w.Write(frame)
	return err
}

// flush sends the batch.
func (s *responseSink) flush() error {
	s.armed = false
	return s.rc.Flush()
}

// end bounds what net/http writes after the handler returns (the end of
// the body): a fresh deadline after a clean end and, after a failed write,
// the expired one, so that net/http gives up at once and closes the
// connection instead of blocking on a browser that does not read.
func (s *responseSink) end(clean bool) {
	if clean {
		_ = s.deadline(time.Now().Add(s.timeout))
	}
}

func (s *responseSink) deadline(t time.Time) error {
	err := s.rc.SetWriteDeadline(t)
	if errors.Is(err, http.ErrNotSupported) {
		// A wrapper that does not expose the connection (no Unwrap):
		// stream without a deadline rather than not at all.
		return nil
	}
	return err
}
