package admin_test

import (
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/admin"
)

func TestPasswordHashing(t *testing.T) {
	t.Parallel()
	const pw = "correct horse battery staple"
	hash := admin.HashPassword(pw)

	t.Run("is a PHC argon2id string with OWASP parameters", func(t *testing.T) {
		if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, pw) {
			t.Fatalf("%q", hash)
		}
	})
	t.Run("verifies the password it was made from", func(t *testing.T) {
		if ok, err := admin.VerifyPassword(hash, pw); !ok || err != nil {
			t.Fatalf("%v %v", ok, err)
		}
	})
	t.Run("refuses any other password", func(t *testing.T) {
		for _, other := range []string{"", "correct horse battery stapl", "Correct horse battery staple", pw + " "} {
			if ok, err := admin.VerifyPassword(hash, other); ok || err != nil {
				t.Fatalf("%q: %v %v", other, ok, err)
			}
		}
	})
	t.Run("is salted: the same password hashes differently each time", func(t *testing.T) {
		again := admin.HashPassword(pw)
		if again == hash || salt(again) == salt(hash) {
			t.Fatal("two hashes alike")
		}
		if ok, _ := admin.VerifyPassword(again, pw); !ok {
			t.Fatal("the second hash does not verify")
		}
	})
	// A hash is only ever read from the database, but a damaged one must
	// fail closed: an error, never a panic, never a match.
	key := strings.Split(hash, "$")[5]
	for _, c := range []struct{ name, hash string }{
		{"an empty string", ""},
		{"a bcrypt hash", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"an argon2i hash", strings.Replace(hash, "argon2id", "argon2i", 1)},
		{"another argon2 version", strings.Replace(hash, "v=19", "v=16", 1)},
		{"unreadable parameters", strings.Replace(hash, "m=19456,t=2,p=1", "m=x", 1)},
		{"zero passes", strings.Replace(hash, "t=2", "t=0", 1)},
		{"zero lanes", strings.Replace(hash, "p=1", "p=0", 1)},
		{"a salt that is not base64", strings.Replace(hash, salt(hash), "!!!", 1)},
		{"an empty key", strings.TrimSuffix(hash, key)},
		{"a truncated key", strings.TrimSuffix(hash, key) + key[:4]},
	} {
		t.Run("fails closed on "+c.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			ok, err := admin.VerifyPassword(c.hash, pw)
			if ok || err == nil {
				t.Fatalf("%v %v", ok, err)
			}
		})
	}
}

func salt(hash string) string { return strings.Split(hash, "$")[4] }
