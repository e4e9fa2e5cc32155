package user

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/postgres"
	"github.com/galaxy-platform/galaxy/internal/postgres/pgtest"
)

func TestCacheWarm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	newCacheOn := func(t *testing.T, users int) *Cache {
		t.Helper()
		pool := pgtest.Pool(t)
		if _, err := pool.Exec(ctx, `INSERT INTO users (user_id, email, display_name)
			SELECT 'usr_' || lpad(i::text, 6, '0'), 'u' || i || '@example.com', 'User ' || i
			FROM generate_series(1, $1::int) AS i`, users); err != nil {
			t.Fatal(err)
		}
		return newCache(&postgres.DB{Pool: pool, OperationTimeout: 5 * time.Second})
	}

	t.Run("reads every user, over several batches", func(t *testing.T) {
		t.Parallel()
		const n = 2*warmBatch + 7
		c := newCacheOn(t, n)
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if len(c.users) != n || !c.Ready() {
			t.Fatalf("%d users, ready %v", len(c.users), c.Ready())
		}
		for _, i := range []int{1, warmBatch, warmBatch + 1, n} {
			if u, ok := c.users[fmt.Sprintf("usr_%06d", i)]; !ok || u.DisplayName != fmt.Sprintf("User %d", i) {
				t.Fatalf("user %d: %+v %v", i, u, ok)
			}
		}
	})
	t.Run("leaves out the users changed while it reads", func(t *testing.T) {
		t.Parallel()
		c := newCacheOn(t, 3)
		c.beginWarm()
		m, err := c.load(ctx)
		// Notified and written through while the rows were on their way:
		// the rows read may predate the changes.
		c.invalidate("usr_000001")
		c.put(User{UserID: "usr_000002", DisplayName: "Renamed"})
		if err := c.endWarm(m, err); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.users["usr_000001"]; ok {
			t.Fatal("an invalidated user was kept")
		}
		if _, ok := c.users["usr_000002"]; ok {
			t.Fatal("a user written meanwhile was kept as read")
		}
		if _, ok := c.users["usr_000003"]; !ok {
			t.Fatal("an unchanged user is missing")
		}
		// The next use reads them again.
		if u, err := c.get(ctx, "usr_000001"); err != nil || u.DisplayName != "User 1" {
			t.Fatalf("%+v %v", u, err)
		}
	})
	t.Run("a failed warm-up keeps the contents", func(t *testing.T) {
		t.Parallel()
		c := newCacheOn(t, 2)
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if err := c.warm(cancelled); err == nil {
			t.Fatal("a cancelled warm-up succeeded")
		}
		if len(c.users) != 2 || c.dirty != nil {
			t.Fatalf("%d users, dirty %v", len(c.users), c.dirty)
		}
	})
}
