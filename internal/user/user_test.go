package user_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/galaxy-platform/galaxy/internal/errs"
	"github.com/galaxy-platform/galaxy/internal/httpx"
	"github.com/galaxy-platform/galaxy/internal/outbox"
	"github.com/galaxy-platform/galaxy/internal/user"
)

func TestFindOrCreateByEmail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	find := func(t *testing.T, email, country string) (user.User, bool) {
		t.Helper()
		var (
			u       user.User
			created bool
		)
		err := e.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) (err error) {
			u, created, err = e.svc.FindOrCreateByEmailTx(ctx, tx, email, country)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return u, created
	}

	first, created := find(t, "alice@example.com", "NL")
	t.Run("creates an active account named after the address on first use", func(t *testing.T) {
		if !created || !strings.HasPrefix(first.UserID, "usr_") {
			t.Fatalf("created=%v id=%q", created, first.UserID)
		}
		if first.DisplayName != "alice" || first.Timezone != "UTC" || first.Country != "NL" ||
			first.Status != user.StatusActive || first.BlockReason != nil || first.BlockedAt != nil {
			t.Fatalf("%+v", first)
		}
	})
	t.Run("finds the same account whatever the address's case", func(t *testing.T) {
		again, created := find(t, "ALICE@Example.COM", "DE")
		if created || again.UserID != first.UserID || again.Country != "NL" {
			t.Fatalf("created=%v %+v", created, again)
		}
		if n := e.count(t, "SELECT count(*) FROM users"); n != 1 {
			t.Fatalf("%d users", n)
		}
	})
	t.Run("publishes user.registered once, for the new account only", func(t *testing.T) {
		n := e.count(t, "SELECT count(*) FROM outbox_events WHERE type = $1 AND aggregate_id = $2",
			outbox.TypeUserRegistered, first.UserID)
		if n != 1 {
			t.Fatalf("%d user.registered events", n)
		}
	})
	t.Run("cuts a long local part to 64 characters", func(t *testing.T) {
		u, _ := find(t, strings.Repeat("é", 70)+"@example.com", "")
		if utf8.RuneCountInString(u.DisplayName) != 64 || !utf8.ValidString(u.DisplayName) {
			t.Fatalf("%q", u.DisplayName)
		}
	})
	t.Run("a rolled-back sign-in leaves no account", func(t *testing.T) {
		boom := errors.New("boom")
		err := e.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			if _, _, err := e.svc.FindOrCreateByEmailTx(ctx, tx, "ghost@example.com", ""); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if n := e.count(t, "SELECT count(*) FROM users WHERE email = 'ghost@example.com'"); n != 0 {
			t.Fatalf("%d rows", n)
		}
	})
}

func TestUpdateProfile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	u := e.signUp(t, "bob@example.com")

	invalid := []struct {
		name string
		p    user.Profile
	}{
		{"an empty display name", user.Profile{DisplayName: ptr("")}},
		{"a blank display name", user.Profile{DisplayName: ptr(" \t ")}},
		{"a display name of 65 characters", user.Profile{DisplayName: ptr(strings.Repeat("ж", 65))}},
		{"a display name with a NUL byte", user.Profile{DisplayName: ptr("bob\x00")}},
		{"a display name with a line break", user.Profile{DisplayName: ptr("bob\nadmin")}},
		{"an empty time zone", user.Profile{Timezone: ptr("")}},
		{"the Local time zone", user.Profile{Timezone: ptr("Local")}},
		{"an unknown time zone", user.Profile{Timezone: ptr("Mars/Olympus_Mons")}},
		{"a time zone that is a path", user.Profile{Timezone: ptr("../../etc/passwd")}},
		{"a UTC offset instead of a zone", user.Profile{Timezone: ptr("+02:00")}},
	}
	for _, c := range invalid {
		t.Run("refuses "+c.name, func(t *testing.T) {
			_, err := e.svc.UpdateProfile(ctx, u.UserID, c.p)
			if !errs.Is(err, errs.InvalidArgument) {
				t.Fatalf("got %v", err)
			}
			got, err := e.svc.Get(ctx, u.UserID)
			if err != nil || got.DisplayName != "bob" || got.Timezone != "UTC" {
				t.Fatalf("profile changed: %+v %v", got, err)
			}
		})
	}
	t.Run("reports every problem at once", func(t *testing.T) {
		_, err := e.svc.UpdateProfile(ctx, u.UserID, user.Profile{DisplayName: ptr(""), Timezone: ptr("Nowhere")})
		problems, _ := errs.As(err).Details["problems"].([]string)
		if len(problems) != 2 {
			t.Fatalf("got %v, problems %v", err, problems)
		}
	})
	t.Run("refuses an unknown user", func(t *testing.T) {
		_, err := e.svc.UpdateProfile(ctx, "usr_nobody", user.Profile{DisplayName: ptr("x")})
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("saves a trimmed name of 64 characters and an IANA zone", func(t *testing.T) {
		name := strings.Repeat("ж", 64)
		got, err := e.svc.UpdateProfile(ctx, u.UserID, user.Profile{DisplayName: ptr("  " + name + " "), Timezone: ptr("Europe/Berlin")})
		if err != nil {
			t.Fatal(err)
		}
		if got.DisplayName != name || got.Timezone != "Europe/Berlin" {
			t.Fatalf("%+v", got)
		}
		var dbName, dbTZ string
		if err := e.pool.QueryRow(ctx, "SELECT display_name, timezone FROM users WHERE user_id = $1", u.UserID).
			Scan(&dbName, &dbTZ); err != nil || dbName != name || dbTZ != "Europe/Berlin" {
			t.Fatalf("stored %q %q %v", dbName, dbTZ, err)
		}
	})
	t.Run("leaves fields it is not given as they are", func(t *testing.T) {
		got, err := e.svc.UpdateProfile(ctx, u.UserID, user.Profile{DisplayName: ptr("Bobby")})
		if err != nil || got.DisplayName != "Bobby" || got.Timezone != "Europe/Berlin" {
			t.Fatalf("%+v %v", got, err)
		}
		got, err = e.svc.UpdateProfile(ctx, u.UserID, user.Profile{Timezone: ptr("America/Sao_Paulo")})
		if err != nil || got.DisplayName != "Bobby" || got.Timezone != "America/Sao_Paulo" {
			t.Fatalf("%+v %v", got, err)
		}
		got, err = e.svc.UpdateProfile(ctx, u.UserID, user.Profile{})
		if err != nil || got.DisplayName != "Bobby" || got.Timezone != "America/Sao_Paulo" {
			t.Fatalf("%+v %v", got, err)
		}
	})
}

func TestSetStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	u := e.signUp(t, "carol@example.com")

	t.Run("a block records status, reason and time", func(t *testing.T) {
		got := e.setStatus(t, u.UserID, user.StatusBlocked, "spam")
		if got.Status != user.StatusBlocked || got.BlockReason == nil || *got.BlockReason != "spam" || got.BlockedAt == nil {
			t.Fatalf("%+v", got)
		}
		if cached, _ := e.svc.Get(ctx, u.UserID); cached.Status != user.StatusBlocked {
			t.Fatalf("cache has %q", cached.Status)
		}
	})
	t.Run("a permanent block replaces a temporary one", func(t *testing.T) {
		got := e.setStatus(t, u.UserID, user.StatusBlockedPermanently, "cheating")
		if got.Status != user.StatusBlockedPermanently || *got.BlockReason != "cheating" {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("unblocking clears reason and time", func(t *testing.T) {
		got := e.setStatus(t, u.UserID, user.StatusActive, "")
		if got.Status != user.StatusActive || got.BlockReason != nil || got.BlockedAt != nil {
			t.Fatalf("%+v", got)
		}
		if n := e.count(t, "SELECT count(*) FROM users WHERE user_id = $1 AND block_reason IS NULL AND blocked_at IS NULL", u.UserID); n != 1 {
			t.Fatal("block left traces in the row")
		}
	})
	t.Run("refuses an unknown user", func(t *testing.T) {
		err := e.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			_, err := e.svc.SetStatusTx(ctx, tx, "usr_nobody", user.StatusBlocked, "x")
			return err
		})
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a rolled-back block changes nothing", func(t *testing.T) {
		boom := errors.New("boom")
		err := e.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
			if _, err := e.svc.SetStatusTx(ctx, tx, u.UserID, user.StatusBlocked, "oops"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if got, _ := e.svc.Get(ctx, u.UserID); got.Status != user.StatusActive {
			t.Fatalf("cache has %q", got.Status)
		}
		if n := e.count(t, "SELECT count(*) FROM users WHERE user_id = $1 AND status = 'active'", u.UserID); n != 1 {
			t.Fatal("the database kept a rolled-back block")
		}
	})
}

func TestSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	// Five accounts created in one transaction share created_at: paging
	// must still order and split them by id.
	var batch []user.User
	err := e.db.InTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		for i := range 5 {
			u, _, err := e.svc.FindOrCreateByEmailTx(ctx, tx, fmt.Sprintf("crew%d@fleet.example", i), "")
			if err != nil {
				return err
			}
			batch = append(batch, u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dave := e.signUp(t, "dave@example.com")
	if _, err := e.svc.UpdateProfile(ctx, dave.UserID, user.Profile{DisplayName: ptr("Admiral Dave")}); err != nil {
		t.Fatal(err)
	}
	erin := e.signUp(t, "Erin.Stone@Example.org")
	const total = 7

	search := func(t *testing.T, q string, limit int, after *httpx.Cursor) ([]user.User, *httpx.Cursor) {
		t.Helper()
		rows, next, err := e.svc.Search(ctx, q, limit, after)
		if err != nil {
			t.Fatal(err)
		}
		return rows, next
	}
	ids := func(rows []user.User) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.UserID
		}
		return out
	}

	t.Run("an empty query lists everyone, newest first", func(t *testing.T) {
		rows, next := search(t, "  ", 50, nil)
		if len(rows) != total || next != nil {
			t.Fatalf("%d rows, next %v", len(rows), next)
		}
		if rows[0].UserID != erin.UserID || rows[1].UserID != dave.UserID {
			t.Fatalf("order %v", ids(rows))
		}
		for i := 1; i < len(rows); i++ {
			a, b := rows[i-1], rows[i]
			if a.CreatedAt.Before(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.UserID < b.UserID) {
				t.Fatalf("not newest first at %d: %v", i, ids(rows))
			}
		}
	})
	t.Run("pages through everyone exactly once, ties included", func(t *testing.T) {
		seen := map[string]bool{}
		var after *httpx.Cursor
		for page := 0; ; page++ {
			if page > total {
				t.Fatal("paging does not end")
			}
			rows, next := search(t, "", 2, after)
			for _, r := range rows {
				if seen[r.UserID] {
					t.Fatalf("%s twice", r.UserID)
				}
				seen[r.UserID] = true
			}
			if next == nil {
				break
			}
			if len(rows) != 2 {
				t.Fatalf("short page %d with a next cursor", len(rows))
			}
			// The cursor travels as an opaque string.
			s := next.Encode()
			if after, err = httpx.DecodeCursor(&s); err != nil {
				t.Fatal(err)
			}
		}
		if len(seen) != total {
			t.Fatalf("saw %d of %d", len(seen), total)
		}
	})
	t.Run("matches an exact user id", func(t *testing.T) {
		rows, _ := search(t, batch[3].UserID, 50, nil)
		if len(rows) != 1 || rows[0].UserID != batch[3].UserID {
			t.Fatalf("%v", ids(rows))
		}
	})
	t.Run("matches part of an address, ignoring case", func(t *testing.T) {
		rows, _ := search(t, "STONE@example", 50, nil)
		if len(rows) != 1 || rows[0].UserID != erin.UserID {
			t.Fatalf("%v", ids(rows))
		}
		if rows, _ := search(t, "fleet.example", 50, nil); len(rows) != 5 {
			t.Fatalf("%d crew", len(rows))
		}
	})
	t.Run("matches part of a display name, ignoring case", func(t *testing.T) {
		rows, _ := search(t, "admiral", 50, nil)
		if len(rows) != 1 || rows[0].UserID != dave.UserID {
			t.Fatalf("%v", ids(rows))
		}
	})
	t.Run("finds nothing for a stranger", func(t *testing.T) {
		if rows, next := search(t, "nobody-here", 50, nil); len(rows) != 0 || next != nil {
			t.Fatalf("%v", ids(rows))
		}
	})
	t.Run("treats LIKE wildcards as plain characters", func(t *testing.T) {
		for _, q := range []string{"%", "_", "crew_@"} {
			if rows, _ := search(t, q, 50, nil); len(rows) != 0 {
				t.Errorf("%q matched %d users", q, len(rows))
			}
		}
	})
}
