package user

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/httpapi/apigen"
)

// encodingJSON is what httpx.WriteJSON writes for v.
func encodingJSON(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAppendProfileJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	reason := "spam <links> & \"quotes\""
	seen := time.Date(2026, 12, 6, 18, 0, 0, 123456789, time.UTC)
	for name, p := range map[string]apigen.UserProfile{
		"optional fields empty": {UserId: "usr_1", Email: "a@example.com", DisplayName: "a", Timezone: "UTC",
			Status: apigen.UserProfileStatusActive, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		"every field set": {UserId: "usr_2", Email: "b@example.com", DisplayName: "Bob", Timezone: "Europe/Berlin",
			Country: "DE", Status: apigen.UserProfileStatusBlocked, BlockReason: &reason,
			CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC), LastSeenAt: &seen},
		"strings that need escaping": {UserId: "usr_3", Email: "x\u2028y@example.com", DisplayName: "Ж\t\"\\<b>\x01\xff",
			Timezone: "America/Argentina/Buenos_Aires", Status: apigen.UserProfileStatusBlockedPermanently},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got, want := appendProfileJSON(nil, p), encodingJSON(t, p); !bytes.Equal(got, want) {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func FuzzAppendProfileJSON(f *testing.F) {
	f.Add("usr_1", "a@example.com", "Ann", "UTC", "", int64(0), true)
	f.Add("usr_2", "\u2029@x", "<&>", "Europe/Paris", "no\x00pe", int64(1700000000123456789), false)
	f.Fuzz(func(t *testing.T, id, email, name, tz, reason string, nanos int64, optional bool) {
		p := apigen.UserProfile{UserId: id, Email: email, DisplayName: name, Timezone: tz, Country: reason,
			Status: apigen.UserProfileStatusActive, CreatedAt: time.Unix(0, nanos).UTC()}
		if optional {
			at := p.CreatedAt.Add(time.Hour)
			p.BlockReason, p.LastSeenAt = &reason, &at
		}
		if got, want := appendProfileJSON(nil, p), encodingJSON(t, p); !bytes.Equal(got, want) {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
	})
}
