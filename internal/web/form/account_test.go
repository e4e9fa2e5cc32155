package form

import (
	"net/url"
	"strings"
	"testing"
)

func TestAccountValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, display, tz string
		wantErrs          map[string]string
	}{
		{"valid", " Arthur Dent ", "Europe/London", nil},
		{"UTC", "Ford", "UTC", nil},
		{"a zone not in the list", "Ford", "America/Boise", nil},
		{"empty name", "  ", "UTC", map[string]string{"display_name": "Enter"}},
		{"long name", strings.Repeat("n", 65), "UTC", map[string]string{"display_name": "64"}},
		{"unknown zone", "Ford", "Mars/Olympus_Mons", map[string]string{"timezone": "list"}},
		{"Local is the server's zone", "Ford", "Local", map[string]string{"timezone": "list"}},
		{"no zone", "Ford", "", map[string]string{"timezone": "list"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			body, errs := ParseAccount(url.Values{"display_name": {c.display}, "timezone": {c.tz}}).Validate()
			if len(errs) != len(c.wantErrs) {
				t.Fatalf("errors = %v, want %v", errs, c.wantErrs)
			}
			for f, w := range c.wantErrs {
				if !strings.Contains(errs[f], w) {
					t.Errorf("%s: %q, want %q", f, errs[f], w)
				}
			}
			if !errs.Any() && (*body.DisplayName != strings.TrimSpace(c.display) || *body.Timezone != c.tz) {
				t.Errorf("body = %q %q", *body.DisplayName, *body.Timezone)
			}
		})
	}
}

func TestTimeZonesAllLoad(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, z := range TimeZones {
		if !ValidZone(z) {
			t.Errorf("%s does not load", z)
		}
		if seen[z] {
			t.Errorf("%s listed twice", z)
		}
		seen[z] = true
	}
}

func TestZonesKeepsTheCurrentZone(t *testing.T) {
	t.Parallel()
	if z := Zones("America/Boise"); z[0] != "America/Boise" || len(z) != len(TimeZones)+1 {
		t.Errorf("Zones(Boise) = %v…", z[:2])
	}
	if z := Zones("Europe/Berlin"); len(z) != len(TimeZones) {
		t.Error("a listed zone was added again")
	}
	if z := Zones(""); len(z) != len(TimeZones) {
		t.Error("an empty zone was added")
	}
	if z := Zones("Mars/Olympus_Mons"); len(z) != len(TimeZones) {
		t.Error("a zone that does not exist was added")
	}
}

func TestErrorsKeepTheFirstMessage(t *testing.T) {
	t.Parallel()
	e := Errors{}
	e.Add("name", "first")
	e.Add("name", "second")
	if e["name"] != "first" || !e.Any() {
		t.Errorf("errors = %v", e)
	}
	var none Errors
	if none.Any() || none["x"] != "" {
		t.Error("a nil Errors is not empty")
	}
}
