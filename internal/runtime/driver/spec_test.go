package driver

import (
	"strings"
	"testing"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

func TestSpecValidate(t *testing.T) {
	t.Parallel()

	t.Run("a minimal spec is valid", func(t *testing.T) {
		t.Parallel()
		for _, id := range []string{"1", "g-42", "0d5c8f4e-1b7a-4c55-9f51-3a7d2e1f0c9b", "a.b_c", strings.Repeat("x", 128)} {
			if err := (Spec{GameID: id, Token: "t"}).Validate(); err != nil {
				t.Errorf("game id %q: %v", id, err)
			}
		}
	})

	t.Run("ids that cannot name a container are invalid arguments", func(t *testing.T) {
		t.Parallel()
		for _, id := range []string{"", "-x", ".x", "a/b", "a b", "é", strings.Repeat("x", 129)} {
			if err := ValidateGameID(id); errs.CodeOf(err) != errs.InvalidArgument {
				t.Errorf("game id %q: %v, want invalid argument", id, err)
			}
		}
	})

	t.Run("a blank token is an invalid argument", func(t *testing.T) {
		t.Parallel()
		if err := (Spec{GameID: "g", Token: " "}).Validate(); errs.CodeOf(err) != errs.InvalidArgument {
			t.Errorf("Validate = %v", err)
		}
	})
}

func TestLimits(t *testing.T) {
	t.Parallel()

	t.Run("zero fields take the defaults, set ones stay", func(t *testing.T) {
		t.Parallel()
		got := Limits{NanoCPUs: 5}.Or(Limits{MemoryBytes: 1, NanoCPUs: 2, PidsLimit: 3})
		if got != (Limits{MemoryBytes: 1, NanoCPUs: 5, PidsLimit: 3}) {
			t.Errorf("Or = %+v", got)
		}
	})
}

func TestNames(t *testing.T) {
	t.Parallel()

	t.Run("engine and state are named after the game", func(t *testing.T) {
		t.Parallel()
		if EngineName("42") != "galaxy-game-42" || StateName("42") != "galaxy-game-42-state" {
			t.Errorf("names = %s, %s", EngineName("42"), StateName("42"))
		}
	})
}
