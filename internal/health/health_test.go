package health

import (
	"reflect"
	"testing"
)

func TestReadiness(t *testing.T) {
	t.Parallel()
	r := NewReadiness()
	if got := r.NotReady(); len(got) != 0 {
		t.Fatalf("empty set not ready: %v", got)
	}
	migrations := r.Flag("migrations")
	cacheWarm := false
	r.Register("cache:auth", func() bool { return cacheWarm })
	if got, want := r.NotReady(), []string{"cache:auth", "migrations"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	migrations.Set(true)
	cacheWarm = true
	if got := r.NotReady(); len(got) != 0 {
		t.Fatalf("want ready, got %v", got)
	}
}
