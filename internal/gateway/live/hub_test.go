package live

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// recv returns the next message queued for c, failing if there is none.
func recv(t *testing.T, c *Conn) *Message {
	t.Helper()
	select {
	case m := <-c.Events():
		return m
	default:
		t.Fatal("no message queued")
		return nil
	}
}

// assertEmpty fails if anything is queued for c.
func assertEmpty(t *testing.T, c *Conn) {
	t.Helper()
	if n := len(c.Events()); n != 0 {
		t.Fatalf("%d messages queued, want none", n)
	}
}

func TestHub(t *testing.T) {
	t.Parallel()

	t.Run("Publish never blocks, even on a stream nobody reads", func(t *testing.T) {
		t.Parallel()
		hub := NewHub()
		stuck := hub.Register("alice", "s1")
		other := hub.Register("bob", "s2")
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := range 100_000 {
				_ = hub.Publish(Event{Kind: "test.n", UserIDs: []string{"alice", "bob"}, Payload: fmt.Appendf(nil, `{"n":%d}`, i)})
			}
		}()
		select {
		case <-done:
		case <-time.After(wait):
			t.Fatal("100,000 publishes did not finish")
		}
		for _, c := range []*Conn{stuck, other} {
			select {
			case <-c.Done():
			default:
				t.Fatalf("%s's stream still open after overflowing", c.UserID())
			}
			if !errors.Is(c.Err(), ErrTooSlow) {
				t.Fatalf("%s: Err %v, want ErrTooSlow", c.UserID(), c.Err())
			}
		}
		if s := hub.Stats(); s.Open != 0 || s.DroppedSlow != 2 || s.Queued != 2*DefaultQueue {
			t.Fatalf("stats %+v", s)
		}
	})

	t.Run("a user listed twice gets the event once", func(t *testing.T) {
		t.Parallel()
		hub := NewHub()
		c := hub.Register("alice", "s1")
		for _, n := range []int{2, 40} { // both ways of finding duplicates
			users := make([]string, n)
			for i := range users {
				users[i] = fmt.Sprint("u", i)
			}
			users[n-1] = "alice"
			users[n/2] = "alice"
			if err := hub.Publish(Event{Kind: "test.once", UserIDs: users}); err != nil {
				t.Fatal(err)
			}
			recv(t, c)
			assertEmpty(t, c)
		}
	})

	t.Run("a resync reaches every stream", func(t *testing.T) {
		t.Parallel()
		hub := NewHub()
		conns := []*Conn{hub.Register("alice", "s1"), hub.Register("alice", "s2"), hub.Register("bob", "s3")}
		if err := hub.Publish(Event{Resync: true, Kind: "ignored", UserIDs: []string{"alice"}}); err != nil {
			t.Fatal(err)
		}
		for _, c := range conns {
			if m := recv(t, c); m.Kind != KindResync || string(m.Data) != "{}" {
				t.Fatalf("got %s %s, want resync {}", m.Kind, m.Data)
			}
		}
	})

	t.Run("unrenderable events are refused and go nowhere", func(t *testing.T) {
		t.Parallel()
		hub := NewHub()
		c := hub.Register("alice", "s1")
		for _, ev := range []Event{
			{Kind: "", UserIDs: []string{"alice"}},
			{Kind: "two\nlines", UserIDs: []string{"alice"}},
			{Kind: "test.bad", Payload: []byte(`{"open":`), UserIDs: []string{"alice"}},
		} {
			if err := hub.Publish(ev); err == nil {
				t.Errorf("Publish(%+v) accepted", ev)
			}
		}
		assertEmpty(t, c)
	})

	t.Run("CloseSession and CloseUser end the right streams", func(t *testing.T) {
		t.Parallel()
		hub := NewHub()
		s1 := hub.Register("alice", "s1")
		s2 := hub.Register("alice", "s2")
		bob := hub.Register("bob", "s1") // same session id, other user
		if n := hub.CloseSession("alice", "s1"); n != 1 || !errors.Is(s1.Err(), ErrRevoked) || s2.Err() != nil || bob.Err() != nil {
			t.Fatalf("CloseSession ended %d; errs %v %v %v", n, s1.Err(), s2.Err(), bob.Err())
		}
		if n := hub.CloseUser("alice"); n != 1 || !errors.Is(s2.Err(), ErrRevoked) || bob.Err() != nil {
			t.Fatalf("CloseUser ended %d; errs %v %v", n, s2.Err(), bob.Err())
		}
		if s := hub.Stats(); s.Open != 1 || s.Revoked != 2 {
			t.Fatalf("stats %+v", s)
		}
	})

	t.Run("Close is idempotent and unregisters", func(t *testing.T) {
		t.Parallel()
		hub := NewHub()
		a, b := hub.Register("alice", "s1"), hub.Register("alice", "s2")
		a.Close()
		a.Close()
		if s := hub.Stats(); s.Open != 1 || !errors.Is(a.Err(), ErrClosed) || b.Err() != nil {
			t.Fatalf("stats %+v, errs %v %v", s, a.Err(), b.Err())
		}
		if err := hub.Publish(Event{Kind: "test.after", UserIDs: []string{"alice"}}); err != nil {
			t.Fatal(err)
		}
		assertEmpty(t, a)
		recv(t, b)
	})

	t.Run("a closed hub ends streams and refuses new ones", func(t *testing.T) {
		t.Parallel()
		hub := NewHub()
		before := hub.Register("alice", "s1")
		hub.Close()
		after := hub.Register("alice", "s2")
		for _, c := range []*Conn{before, after} {
			<-c.Done() // closed, or the test times out
			if !errors.Is(c.Err(), ErrHubClosed) {
				t.Fatalf("Err %v, want ErrHubClosed", c.Err())
			}
		}
		if s := hub.Stats(); s.Open != 0 {
			t.Fatalf("stats %+v", s)
		}
	})
}

func TestParseRevocation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		payload string
		want    revocation
	}{
		{`{"user_id":"u1","session_ids":["a","b"],"reason":"blocked"}`, revocation{userID: "u1", sessions: []string{"a", "b"}}},
		{`{"user_id":"u1","session_id":"a"}`, revocation{userID: "u1", sessions: []string{"a"}}},
		{`{"user_id":"u1","session_ids":[]}`, revocation{userID: "u1", sessions: []string{}}},
		{`{"user_id":"u1"}`, revocation{userID: "u1"}},
		{`[1,2]`, revocation{}},
	} {
		got := parseRevocation([]byte(tc.payload))
		if got.userID != tc.want.userID || fmt.Sprint(got.sessions) != fmt.Sprint(tc.want.sessions) ||
			(got.sessions == nil) != (tc.want.sessions == nil) {
			t.Errorf("parseRevocation(%s) = %+v, want %+v", tc.payload, got, tc.want)
		}
	}
}
