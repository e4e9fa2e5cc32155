package ids

import (
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		id := New("usr_")
		if !strings.HasPrefix(id, "usr_") || len(id) != 4+24 || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}
