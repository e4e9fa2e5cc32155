package live

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestSlowBrowser shows that a browser that stops reading loses its stream
// and nobody else notices.
func TestSlowBrowser(t *testing.T) {
	t.Parallel()
	hub := NewHub(WithQueue(4))
	ts := startGateway(t, hub, WithWriteTimeout(2*time.Second))
	fast := openStream(t, ts, "alice", "fast")
	stuck := openRawStream(t, ts.Listener.Addr().String(), "alice", "stuck")
	eventually(t, "both streams to register", func() bool { return hub.Stats().Open == 2 })

	// Big events fill the kernel's socket buffers of the stuck stream
	// quickly; its handler then blocks in Write, its queue fills, and the
	// hub drops it.
	pad := strings.Repeat("x", 64<<10)
	event := func(i int) (Event, sseEvent) {
		data := fmt.Sprintf(`{"i":%d,"pad":%q}`, i, pad)
		return Event{Kind: "test.big", UserIDs: []string{"alice"}, Payload: []byte(data)},
			sseEvent{Name: "test.big", Data: data}
	}

	t.Run("the stuck stream is dropped while the other gets every event", func(t *testing.T) {
		const limit = 5000 // 320 MiB: far more than any socket buffers
		i := 0
		for ; hub.Stats().DroppedSlow == 0; i++ {
			if i == limit {
				t.Fatalf("stuck stream not dropped after %d events", limit)
			}
			ev, want := event(i)
			if err := hub.Publish(ev); err != nil {
				t.Fatal(err)
			}
			fast.expect(t, want)
		}
		t.Logf("stuck stream dropped after %d events", i)
		// The fast stream goes on as if nothing happened.
		for j := i; j < i+10; j++ {
			ev, want := event(j)
			if err := hub.Publish(ev); err != nil {
				t.Fatal(err)
			}
			fast.expect(t, want)
		}
		if s := hub.Stats(); s.DroppedSlow != 1 {
			t.Fatalf("%d streams dropped, want 1", s.DroppedSlow)
		}
	})

	t.Run("the stuck stream's connection is closed", func(t *testing.T) {
		if got := hub.Stats().Open; got != 1 {
			t.Fatalf("%d streams registered, want 1", got)
		}
		// Its handler returns once its write in progress, if any, completes
		// or reaches the write deadline. Reading now drains what the socket buffers held, then EOF: the
		// server closed the connection.
		if err := stuck.SetReadDeadline(time.Now().Add(wait)); err != nil {
			t.Fatal(err)
		}
		_, err := io.Copy(io.Discard, stuck)
		if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
			t.Fatalf("stuck connection not closed by the server: %v", err)
		}
		// Otherwise EOF (io.Copy's nil) or a reset: closed either way.
	})
}

// openRawStream sends GET /events on a bare TCP connection and never reads
// it (until the test does): a browser tab whose machine went to sleep.
func openRawStream(t *testing.T, addr, user, session string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	req := "GET /events HTTP/1.1\r\nHost: gateway\r\nX-User: " + user + "\r\nX-Session: " + session + "\r\n\r\n"
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	return c
}
