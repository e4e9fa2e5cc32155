package bot_test

import (
	"testing"

	"github.com/galaxy-platform/galaxy/internal/game"
	"github.com/galaxy-platform/galaxy/internal/game/bot"
)

var races = []game.RaceSpec{{ID: "x", Name: "Xeno"}, {ID: "y", Name: "Yeti"}}

func TestFirstOrdersAreAccepted(t *testing.T) {
	g, err := game.New(5, game.Settings{}, races)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range races {
		text := bot.Orders(g, r.ID)
		res, err := g.CheckOrders(r.ID, text)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Accepted {
			t.Fatalf("bot orders of %s rejected: %v\n%s", r.ID, res.Errors, text)
		}
	}
}

func TestBotsExpandAndStayDeterministic(t *testing.T) {
	play := func() game.Summary {
		g, err := game.New(5, game.Settings{}, races)
		if err != nil {
			t.Fatal(err)
		}
		bots := map[string]*bot.Bot{"x": bot.New(), "y": bot.New()}
		for range 15 {
			orders := map[string]string{}
			for id, rep := range g.Reports() {
				orders[id] = bots[id].Orders(rep.Data)
			}
			if _, err := g.RunTurn(orders); err != nil {
				t.Fatal(err)
			}
		}
		return g.Summary()
	}
	a, b := play(), play()
	planets := 0
	for i, r := range a.Races {
		planets += r.Planets
		if r != b.Races[i] {
			t.Fatalf("two plays differ: %+v vs %+v", r, b.Races[i])
		}
	}
	if planets <= 6 {
		t.Fatalf("bots did not colonise: %d planets in all", planets)
	}
}

func TestNoOrdersWhenOut(t *testing.T) {
	if s := bot.New().Orders(nil); s != "" {
		t.Fatalf("orders without a report: %q", s)
	}
	if s := bot.New().Orders(&game.ReportData{Status: "removed"}); s != "" {
		t.Fatalf("orders for a removed race: %q", s)
	}
}
