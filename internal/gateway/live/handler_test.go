package live

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHandler(t *testing.T) {
	t.Parallel()

	t.Run("a request without a session gets a plain 401 and no stream", func(t *testing.T) {
		t.Parallel()
		hub := NewHub()
		ts := startGateway(t, hub)
		resp, err := ts.Client().Get(ts.URL + "/events")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("got %s %q %q, want 401 text/plain", resp.Status, resp.Header.Get("Content-Type"), body)
		}
		if s := hub.Stats(); s.Open != 0 {
			t.Fatalf("%d streams registered", s.Open)
		}
	})

	t.Run("other methods are refused", func(t *testing.T) {
		t.Parallel()
		// The bare handler, without the mux's method routing.
		ts := httptest.NewServer(NewHandler(NewHub(), identifyHeader))
		t.Cleanup(ts.Close)
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/events", nil)
		req.Header.Set("X-User", "alice")
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
			t.Fatalf("POST: %s, Allow %q", resp.Status, resp.Header.Get("Allow"))
		}
	})

	t.Run("a stream opened on a closed hub answers 200 and ends, so the browser retries", func(t *testing.T) {
		t.Parallel()
		hub := NewHub()
		ts := startGateway(t, hub)
		hub.Close()
		c := openStream(t, ts, "alice", "s1") // fails unless 200 with a retry field
		c.expectEnd(t)
	})
}

// TestServingModes checks the stream's behaviour however it is served.
func TestServingModes(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{modeHijack, modeInPlace, modeHTTP2} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			hub := NewHub()
			ts := serveGateway(t, hub, mode, WithHeartbeat(20*time.Millisecond))
			a := openStream(t, ts, "alice", "s1")

			t.Run("the response is an uncached, unbuffered event stream", func(t *testing.T) {
				if got, want := a.resp.ProtoMajor, map[bool]int{true: 2, false: 1}[mode == modeHTTP2]; got != want {
					t.Errorf("HTTP/%d, want HTTP/%d", got, want)
				}
				for k, want := range map[string]string{
					"Content-Type":      "text/event-stream",
					"Cache-Control":     "no-store",
					"X-Accel-Buffering": "no",
				} {
					if got := a.resp.Header.Get(k); got != want {
						t.Errorf("%s: %q, want %q", k, got, want)
					}
				}
			})

			t.Run("events and heartbeats arrive", func(t *testing.T) {
				if err := hub.Publish(Event{Kind: "test.one", UserIDs: []string{"alice"}, Payload: []byte(`{"n":1}`)}); err != nil {
					t.Fatal(err)
				}
				a.expect(t, sseEvent{Name: "test.one", Data: `{"n":1}`})
				a.expectPing(t)
			})

			t.Run("the stream outlives the server's ReadTimeout", func(t *testing.T) {
				for past := time.Now().Add(3 * testReadTimeout); time.Now().Before(past); {
					a.expectPing(t)
				}
				if err := hub.Publish(Event{Kind: "test.two", UserIDs: []string{"alice"}}); err != nil {
					t.Fatal(err)
				}
				a.expect(t, sseEvent{Name: "test.two", Data: "{}"})
			})

			t.Run("a browser that goes away is forgotten", func(t *testing.T) {
				b := openStream(t, ts, "bob", "s2")
				b.cancel()
				// In place: the request's context ends. Hijacked: a
				// heartbeat write fails.
				eventually(t, "bob's stream to end", func() bool { return hub.Stats().Open == 1 })
			})

			t.Run("closing the hub ends the stream after its queued events", func(t *testing.T) {
				if err := hub.Publish(Event{Kind: "test.last", UserIDs: []string{"alice"}}); err != nil {
					t.Fatal(err)
				}
				hub.Close()
				a.expect(t, sseEvent{Name: "test.last", Data: "{}"})
				a.expectEnd(t)
			})
		})
	}
}
