package user_test

import (
	"context"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/user"
)

func TestCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("start warms every account and reports ready", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		e.exec(t, `INSERT INTO users (user_id, email, display_name) VALUES ('usr_w', 'w@example.com', 'Warm')`)
		fresh := replica(t, e.pool, false)
		if fresh.svc.Cache().Ready() {
			t.Fatal("ready before Start")
		}
		if err := fresh.svc.Cache().Start(ctx); err != nil {
			t.Fatal(err)
		}
		if !fresh.svc.Cache().Ready() {
			t.Fatal("not ready after Start")
		}
		// Changed behind the cache's back: a warm cache answers from memory.
		e.exec(t, `UPDATE users SET display_name = 'Changed' WHERE user_id = 'usr_w'`)
		if u, err := fresh.svc.Get(ctx, "usr_w"); err != nil || u.DisplayName != "Warm" {
			t.Fatalf("%+v %v", u, err)
		}
	})
	t.Run("a miss falls back to the database", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		// Created by another replica a moment ago.
		e.exec(t, `INSERT INTO users (user_id, email, display_name) VALUES ('usr_new', 'new@example.com', 'New')`)
		if u, err := e.svc.Get(ctx, "usr_new"); err != nil || u.DisplayName != "New" {
			t.Fatalf("%+v %v", u, err)
		}
	})
	t.Run("an unknown id is not found", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		_, err := e.svc.Get(ctx, "usr_nobody")
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("AfterWrite replaces the cached copy", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := e.signUp(t, "frank@example.com")
		e.exec(t, `UPDATE users SET display_name = 'Franky' WHERE user_id = $1`, u.UserID)
		if got, _ := e.svc.Get(ctx, u.UserID); got.DisplayName != "frank" {
			t.Fatalf("cached copy not used: %q", got.DisplayName)
		}
		u.DisplayName = "Franky"
		e.svc.AfterWrite(u)
		if got, _ := e.svc.Get(ctx, u.UserID); got.DisplayName != "Franky" {
			t.Fatalf("%q", got.DisplayName)
		}
	})
	t.Run("another replica's profile change reaches this replica", func(t *testing.T) {
		t.Parallel()
		a := newEnv(t)
		a = replica(t, a.pool, true)
		b := replica(t, a.pool, true)
		u := a.signUp(t, "gina@example.com")
		if got, _ := a.svc.Get(ctx, u.UserID); got.DisplayName != "gina" {
			t.Fatalf("%q", got.DisplayName)
		}
		if _, err := b.svc.UpdateProfile(ctx, u.UserID, user.Profile{DisplayName: ptr("Gina the Great")}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "replica a sees the new name", func() bool {
			got, err := a.svc.Get(ctx, u.UserID)
			return err == nil && got.DisplayName == "Gina the Great"
		})
	})
	t.Run("another replica's block reaches this replica", func(t *testing.T) {
		t.Parallel()
		a := newEnv(t)
		a = replica(t, a.pool, true)
		b := replica(t, a.pool, true)
		u := a.signUp(t, "hank@example.com")
		if got, _ := a.svc.Get(ctx, u.UserID); got.Status != user.StatusActive {
			t.Fatalf("%q", got.Status)
		}
		b.setStatus(t, u.UserID, user.StatusBlocked, "abuse")
		eventually(t, "replica a sees the block", func() bool {
			got, err := a.svc.Get(ctx, u.UserID)
			return err == nil && got.Status == user.StatusBlocked
		})
	})
	t.Run("an account created on another replica is found at once", func(t *testing.T) {
		t.Parallel()
		a := newEnv(t)
		if err := a.svc.Cache().Start(ctx); err != nil {
			t.Fatal(err)
		}
		b := replica(t, a.pool, false)
		u := b.signUp(t, "ivy@example.com")
		if got, err := a.svc.Get(ctx, u.UserID); err != nil || got.Email != "ivy@example.com" {
			t.Fatalf("%+v %v", got, err)
		}
	})
}

func TestTouch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	u := e.signUp(t, "jack@example.com")
	seen := func() int {
		return e.count(t, "SELECT count(*) FROM users WHERE user_id = $1 AND last_seen_at IS NOT NULL", u.UserID)
	}

	t.Run("records the first activity", func(t *testing.T) {
		e.svc.Touch(ctx, u)
		if seen() != 1 {
			t.Fatal("last_seen_at not recorded")
		}
		got, _ := e.svc.Get(ctx, u.UserID)
		if got.LastSeenAt == nil {
			t.Fatal("the cached copy has no last_seen_at")
		}
	})
	t.Run("writes at most once a minute", func(t *testing.T) {
		e.exec(t, "UPDATE users SET last_seen_at = NULL WHERE user_id = $1", u.UserID)
		got, _ := e.svc.Get(ctx, u.UserID) // seen a moment ago, says the cache
		e.svc.Touch(ctx, got)
		if seen() != 0 {
			t.Fatal("touched the database again within a minute")
		}
	})
}
