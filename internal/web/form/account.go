package form

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	// The zones must load wherever the gateway runs, also in a container
	// image without the system's zoneinfo.
	_ "time/tzdata"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// DisplayNameMax is the longest display name, in characters (internal/user).
const DisplayNameMax = 64

// Account is the account form (POST /account): the API's display_name and
// timezone.
type Account struct {
	DisplayName, Timezone string
}

// ParseAccount reads the posted form.
func ParseAccount(v url.Values) Account {
	return Account{DisplayName: v.Get("display_name"), Timezone: v.Get("timezone")}
}

// Validate checks the form as the backend would and returns the API's
// request body.
func (a Account) Validate() (apiclient.ProfileUpdate, Errors) {
	errs := Errors{}
	name := strings.TrimSpace(a.DisplayName)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		errs.Add("display_name", "Enter the name other players see.")
	case n > DisplayNameMax:
		errs.Add("display_name", "At most "+strconv.Itoa(DisplayNameMax)+" characters.")
	}
	tz := strings.TrimSpace(a.Timezone)
	if !ValidZone(tz) {
		errs.Add("timezone", "Choose a time zone from the list.")
	}
	return apiclient.ProfileUpdate{DisplayName: &name, Timezone: &tz}, errs
}

// ValidZone reports whether name is an IANA time zone the backend accepts:
// one time.LoadLocation knows, and neither "" nor "Local" (which would mean
// the server's zone).
func ValidZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// TimeZones are the zones the account page offers, west to east: one or two
// per UTC offset where players are, named by a city people know. A player
// whose zone is not here keeps it (see Zones).
var TimeZones = []string{
	"Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Vancouver", "America/Denver",
	"America/Phoenix", "America/Chicago", "America/Mexico_City", "America/New_York", "America/Toronto",
	"America/Halifax", "America/St_Johns", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
	"Atlantic/Azores", "UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Africa/Lagos",
	"Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Stockholm",
	"Europe/Warsaw", "Europe/Prague", "Africa/Johannesburg", "Africa/Cairo", "Europe/Athens", "Europe/Helsinki",
	"Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow", "Asia/Jerusalem", "Asia/Riyadh", "Africa/Nairobi",
	"Asia/Tehran", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka",
	"Asia/Bangkok", "Asia/Jakarta", "Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei",
	"Australia/Perth", "Asia/Seoul", "Asia/Tokyo", "Australia/Adelaide", "Australia/Brisbane",
	"Australia/Sydney", "Australia/Melbourne", "Pacific/Auckland",
}

// Zones is the list offered to a player whose zone is current: TimeZones,
// with current added first when the list lacks it (and it is a zone), so
// that saving the form never changes a zone the player did not touch.
func Zones(current string) []string {
	if !ValidZone(current) || slices.Contains(TimeZones, current) {
		return TimeZones
	}
	return append([]string{current}, TimeZones...)
}
