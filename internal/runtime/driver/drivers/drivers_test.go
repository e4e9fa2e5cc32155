package drivers

import (
	"context"
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/runtime/driver"
	"github.com/galaxy-platform/galaxy/internal/runtime/driver/docker"
)

func TestNew(t *testing.T) {
	t.Parallel()

	t.Run("each kind builds its driver", func(t *testing.T) {
		t.Parallel()
		for kind, want := range map[string]string{"": driver.KindInprocess, "inprocess": driver.KindInprocess, "docker": driver.KindDocker} {
			d, err := New(Config{Kind: kind})
			if err != nil {
				t.Fatalf("New(%q): %v", kind, err)
			}
			if d.Kind() != want {
				t.Errorf("New(%q).Kind() = %q, want %q", kind, d.Kind(), want)
			}
			if err := d.Close(context.Background()); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
	})

	t.Run("an unknown kind is refused naming the known ones", func(t *testing.T) {
		t.Parallel()
		_, err := New(Config{Kind: "kubernetes"})
		if err == nil || !strings.Contains(err.Error(), "inprocess") || !strings.Contains(err.Error(), "docker") {
			t.Errorf("New(kubernetes) = %v, want an error listing the kinds", err)
		}
	})

	t.Run("a bad configuration of the selected kind is refused", func(t *testing.T) {
		t.Parallel()
		if _, err := New(Config{Kind: "docker", Docker: docker.Config{Network: "overlay"}}); err == nil {
			t.Error("accepted a bad docker network mode")
		}
	})
}
