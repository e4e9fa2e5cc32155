package game

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestRecallOrder(t *testing.T) {
	// A Slow ship (drive 1, mass 1) at drive tech 0.25 flies 20 × 0.25 × 1
	// / 1 = 5 light years a turn, so it can turn back while 4 × 5 = 20 or
	// more are left.
	setup := func(t *testing.T) (*Game, int, int, *group) {
		g := newTestGame(t)
		home, far := homeOf(t, g.st, 0), homeOf(t, g.st, 1)
		addType(g.st, 0, "Slow", 1, 0, 0, 0, 0)
		gr := addGroup(g.st, 0, "Slow", 3, home)
		gr.Tech[techDrive] = 0.25
		g.st.launch(gr, far)
		if d := g.st.dist(home, far); d < 50 {
			t.Skipf("homes only %v apart", d)
		}
		return g, home, far, gr
	}
	t.Run("turns a group back along the way it came", func(t *testing.T) {
		g, home, far, gr := setup(t)
		gr.Dist = g.st.dist(home, far) - 8 // 8 light years out
		run(t, g, "h 1", "")
		mustNoMistakes(t, g, "a")
		// Turned at once, 8 from home, then moved 5 towards it: 3 left.
		gr = groupOfType(t, g.st, 0, "Slow")
		if gr.To != home || gr.From != far || !near(gr.Dist, 3) {
			t.Fatalf("group %+v, want 3 light years from home", gr)
		}
		run(t, g, "", "")
		if gr = groupOfType(t, g.st, 0, "Slow"); gr.At != home {
			t.Fatalf("group %+v did not get home", gr)
		}
	})
	t.Run("refuses a group less than four turns from arriving", func(t *testing.T) {
		g, _, _, gr := setup(t)
		gr.Dist = 19.99
		run(t, g, "h 1", "")
		mustMistake(t, g, "a", 1, "less than 4 turns from arriving")
	})
	t.Run("refuses a group at a planet", func(t *testing.T) {
		g, home, _, gr := setup(t)
		gr.At, gr.Dist = home, 0
		run(t, g, "h 1", "")
		mustMistake(t, g, "a", 1, "not in hyperspace")
	})
	t.Run("turns a whole fleet back", func(t *testing.T) {
		g, home, far, gr := setup(t)
		total := g.st.dist(home, far)
		gr.Fleet = "Armada"
		g.st.Races[0].Fleets = []string{"Armada"}
		gr.Dist = total - 7
		run(t, g, "h armada", "")
		mustNoMistakes(t, g, "a")
		gr = groupOfType(t, g.st, 0, "Slow")
		if gr.To != home || !near(gr.Dist, 2) {
			t.Fatalf("group %+v, want 2 light years from home", gr)
		}
	})
	t.Run("a group turned back on its own leaves its fleet", func(t *testing.T) {
		g, home, far, gr := setup(t)
		gr.Fleet = "Armada"
		g.st.Races[0].Fleets = []string{"Armada"}
		gr.Dist = g.st.dist(home, far) - 7
		run(t, g, "h 1", "")
		mustNoMistakes(t, g, "a")
		if gr = groupOfType(t, g.st, 0, "Slow"); gr.Fleet != "" || gr.To != home {
			t.Fatalf("group %+v", gr)
		}
	})
	t.Run("refuses an unknown fleet", func(t *testing.T) {
		g, _, _, _ := setup(t)
		run(t, g, "h Nobody", "")
		mustMistake(t, g, "a", 1, "neither a group number nor one of your fleets")
	})
}

func TestInterceptOrder(t *testing.T) {
	// Alpha watches Beta's home from its own home with a fast interceptor;
	// Beta sends a freighter from its home to a free planet near Alpha.
	type fixture struct {
		g               *Game
		aHome, bHome, x int
	}
	setup := func(t *testing.T) fixture {
		g := newTestGame(t)
		f := fixture{g: g, aHome: homeOf(t, g.st, 0), bHome: homeOf(t, g.st, 1)}
		f.x = freePlanet(t, g.st, f.aHome)
		addType(g.st, 0, "Hawk", 1, 0, 0, 0, 0)
		addGroup(g.st, 0, "Hawk", 2, f.aHome).Tech[techDrive] = 100 // 2,000 ly a turn: reaches anything
		addType(g.st, 1, "Hauler", 1, 0, 0, 0, 0)
		addGroup(g.st, 1, "Hauler", 4, f.bHome)
		return f
	}
	t.Run("follows the largest mass leaving the watched planet", func(t *testing.T) {
		f := setup(t)
		run(t, f.g, "i 1 "+pname(f.g.st, f.bHome), "s 1 "+pname(f.g.st, f.x))
		mustNoMistakes(t, f.g, "a")
		if gr := groupOfType(t, f.g.st, 0, "Hawk"); gr.At != f.x {
			t.Fatalf("interceptor %+v, want at planet %d where the hauler went", gr, f.x)
		}
	})
	t.Run("goes on to the planet when nobody leaves it", func(t *testing.T) {
		f := setup(t)
		run(t, f.g, "i 1 "+pname(f.g.st, f.bHome), "")
		mustNoMistakes(t, f.g, "a")
		if gr := groupOfType(t, f.g.st, 0, "Hawk"); gr.At != f.bHome {
			t.Fatalf("interceptor %+v, want at Beta's home", gr)
		}
	})
	t.Run("splits off the ships asked for", func(t *testing.T) {
		f := setup(t)
		run(t, f.g, "i 1 "+pname(f.g.st, f.bHome)+" 1", "s 1 "+pname(f.g.st, f.x))
		mustNoMistakes(t, f.g, "a")
		at := map[int]int{}
		for _, gr := range f.g.st.Races[0].Groups {
			at[gr.At] += gr.Ships
		}
		if at[f.aHome] != 1 || at[f.x] != 1 {
			t.Fatalf("ships by planet %v", at)
		}
	})
	t.Run("ignores targets out of two turns' reach", func(t *testing.T) {
		f := setup(t)
		groupOfType(t, f.g.st, 0, "Hawk").Tech[techDrive] = 0.001 // 0.02 ly a turn
		run(t, f.g, "i 1 "+pname(f.g.st, f.bHome), "s 1 "+pname(f.g.st, f.x))
		mustNoMistakes(t, f.g, "a")
		if gr := groupOfType(t, f.g.st, 0, "Hawk"); gr.To != f.bHome {
			t.Fatalf("interceptor %+v, want on its way to Beta's home", gr)
		}
	})
	t.Run("may watch the planet it is at", func(t *testing.T) {
		f := setup(t)
		run(t, f.g, "i 1 "+pname(f.g.st, f.aHome), "")
		mustNoMistakes(t, f.g, "a")
		if gr := groupOfType(t, f.g.st, 0, "Hawk"); gr.At != f.aHome {
			t.Fatalf("interceptor %+v moved", gr)
		}
	})
	t.Run("refuses a group in hyperspace", func(t *testing.T) {
		f := setup(t)
		f.g.st.launch(groupOfType(t, f.g.st, 0, "Hawk"), f.x)
		run(t, f.g, "i 1 "+pname(f.g.st, f.bHome), "")
		mustMistake(t, f.g, "a", 1, "only h can turn it back")
	})
}

func TestRenameTypeOrFleetOrder(t *testing.T) {
	setup := func(t *testing.T) (*Game, int) {
		g := newTestGame(t)
		home := homeOf(t, g.st, 0)
		addType(g.st, 0, "Fighter", 1, 1, 1, 1, 0)
		addGroup(g.st, 0, "Fighter", 2, home).Fleet = "Armada"
		g.st.Races[0].Fleets = []string{"Armada"}
		g.st.Planets[home].Prod, g.st.Planets[home].ShipType = prodShip, "Fighter"
		return g, home
	}
	t.Run("renames a ship type everywhere it is used, after the other orders", func(t *testing.T) {
		g, home := setup(t)
		// The p order runs before t (GalaxyNG phase 2), so it still uses
		// the old name.
		run(t, g, "t Fighter Hawk\np "+pname(g.st, home)+" Fighter", "")
		mustNoMistakes(t, g, "a")
		r := g.st.Races[0]
		if r.shipType("Hawk") == nil || r.shipType("Fighter") != nil || g.st.Planets[home].ShipType != "Hawk" {
			t.Fatalf("types %v, planet builds %q", r.Types, g.st.Planets[home].ShipType)
		}
		for _, gr := range r.Groups {
			if gr.Type != "Hawk" || gr.typ != r.shipType("Hawk") {
				t.Fatalf("group %+v keeps the old type", gr)
			}
		}
	})
	t.Run("a fleet sent this turn under its old name still leaves", func(t *testing.T) {
		g, home := setup(t)
		to := freePlanet(t, g.st, home)
		run(t, g, fmt.Sprintf("s Armada %s\nt Armada Navy", pname(g.st, to)), "")
		mustNoMistakes(t, g, "a")
		if gs := g.st.Races[0].fleetGroups("Navy"); len(gs) != 1 || (gs[0].At != to && gs[0].To != to) {
			t.Fatalf("fleet %+v", gs)
		}
	})
	t.Run("renames a fleet", func(t *testing.T) {
		g, _ := setup(t)
		run(t, g, "t armada Home_Guard", "")
		mustNoMistakes(t, g, "a")
		r := g.st.Races[0]
		if len(r.Fleets) != 1 || r.Fleets[0] != "Home_Guard" || len(r.fleetGroups("Home_Guard")) != 1 {
			t.Fatalf("fleets %v", r.Fleets)
		}
	})
	for _, c := range []struct{ name, order, want string }{
		{"refuses an unknown name", "t Nothing Else", "no ship type or fleet called Nothing"},
		{"refuses a name in use", "t Fighter Armada", "already have a fleet called Armada"},
		{"refuses a reserved word", "t Fighter CAP", "reserved"},
		{"refuses a numeric fleet name", "t Armada 7", "cannot be numbers"},
		{"needs two names", "t Fighter", "expected t <ship type or fleet> <new name>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, _ := setup(t)
			run(t, g, c.order, "")
			mustMistake(t, g, "a", 1, c.want)
		})
	}
}

func TestRaceNameOrder(t *testing.T) {
	t.Run("renames the race at the end of the orders", func(t *testing.T) {
		g := newTestGame(t)
		res := run(t, g, "c Star_Lords.\nw Beta_Race", "")
		mustNoMistakes(t, g, "a")
		if g.st.Races[0].Name != "Star_Lords" || res.Reports["a"].Data.Race != "Star_Lords" {
			t.Fatalf("race called %q", g.st.Races[0].Name)
		}
		if !strings.Contains(res.Reports["b"].Text, "Star_Lords") {
			t.Fatal("the other race does not see the new name")
		}
	})
	t.Run("the last valid c order names the race", func(t *testing.T) {
		g := newTestGame(t)
		run(t, g, "c First\nc Second\nc GM", "")
		mustMistake(t, g, "a", 3, "reserved for the game master")
		if g.st.Races[0].Name != "Second" {
			t.Fatalf("race called %q", g.st.Races[0].Name)
		}
	})
	for _, c := range []struct{ name, order, want string }{
		{"refuses another race's name", "c beta_race", "another race is called Beta_Race"},
		{"refuses GM", "c gm", "reserved for the game master"},
		{"refuses a bad name", "c #x", "bad race name"},
		{"refuses nothing", "c ...", "expected c <new race name>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := newTestGame(t)
			run(t, g, c.order, "")
			mustMistake(t, g, "a", 1, c.want)
			if g.st.Races[0].Name != "Alpha" {
				t.Fatalf("race renamed to %q", g.st.Races[0].Name)
			}
		})
	}
	t.Run("the platform's refusal is the mistake", func(t *testing.T) {
		g := newTestGame(t)
		_, err := g.Run(TurnInput{
			Orders:       map[string]string{"a": "c Vogons", "b": "; orders"},
			RefusedNames: map[string]map[string]string{"a": {"Vogons": "another player holds the name Vogons"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		mustMistake(t, g, "a", 1, "another player holds the name Vogons")
		if g.st.Races[0].Name != "Alpha" {
			t.Fatalf("race renamed to %q", g.st.Races[0].Name)
		}
	})
	t.Run("RequestedRaceNames finds the c orders outside messages", func(t *testing.T) {
		text := "c Early\n@ Beta_Race\nc Not_An_Order\n@\nc Star_Lords!\n#END\nc After_End"
		if got := RequestedRaceNames(text); !slices.Equal(got, []string{"Early", "Star_Lords"}) {
			t.Fatalf("got %q", got)
		}
		if got := RequestedRaceNames("s 1 Home"); got != nil {
			t.Fatalf("got %q", got)
		}
	})
}

func TestFleetAndTypeNamesDiffer(t *testing.T) {
	g := newTestGame(t)
	home := homeOf(t, g.st, 0)
	addType(g.st, 0, "Drone", 1, 0, 0, 0, 0)
	addGroup(g.st, 0, "Drone", 1, home)
	run(t, g, "j 1 drone\nj 1 Armada\nd armada 1 0 0 0 0", "")
	mustMistake(t, g, "a", 1, "you already have a ship type called Drone")
	mustMistake(t, g, "a", 3, "you already have a fleet called armada")
}

func TestEmptyOrdersKeepTheRaceInTheGame(t *testing.T) {
	g := newTestGame(t)
	for range idleLimitEarly + 1 {
		if _, err := g.RunTurn(map[string]string{"a": "", "b": "; orders"}); err != nil {
			t.Fatal(err)
		}
	}
	if r := g.st.Races[0]; !r.active() || r.Idle != 0 {
		t.Fatalf("race %s, idle %d after empty orders", r.Status, r.Idle)
	}
}

func TestPlayerOrders(t *testing.T) {
	t.Run("= sets the real name, shown to others only when not anonymous", func(t *testing.T) {
		g := newTestGame(t)
		res := run(t, g, `= "Arthur Dent"`, "=Ford")
		mustNoMistakes(t, g, "a")
		if res.Reports["a"].Data.RealName != "Arthur Dent" || !strings.Contains(res.Reports["a"].Text, "Alpha Arthur Dent") {
			t.Fatalf("real name %q", res.Reports["a"].Data.RealName)
		}
		if strings.Contains(res.Reports["b"].Text, "Arthur Dent") {
			t.Fatal("an anonymous player's real name is shown to others")
		}
		res = run(t, g, "o no anonymous", "")
		if !strings.Contains(res.Reports["b"].Text, "Arthur Dent") || res.Reports["b"].Data.Players[0].RealName != "Arthur Dent" {
			t.Fatalf("real name not shown:\n%s", res.Reports["b"].Text)
		}
	})
	t.Run("m sets the map area", func(t *testing.T) {
		g := newTestGame(t)
		res := run(t, g, "m 10 20 30.5", "")
		mustNoMistakes(t, g, "a")
		if m := res.Reports["a"].Data.Map; m.X != 10 || m.Y != 20 || m.Size != 30.5 {
			t.Fatalf("map %+v", m)
		}
		if !strings.Contains(res.Reports["a"].Text, "10.00,20.00  40.50,20.00") {
			t.Fatal("the text map does not show the area")
		}
		run(t, g, "m 1 2 0.5\nm x 1 2", "")
		mustMistake(t, g, "a", 1, "at least 1")
		mustMistake(t, g, "a", 2, `"x" is not a number`)
	})
	t.Run("o turns options on and off", func(t *testing.T) {
		g := newTestGame(t)
		run(t, g, "o AUTOUNLOAD\no off prodTable\no battleprotocol", "")
		mustNoMistakes(t, g, "a")
		r := g.st.Races[0]
		if !r.Options.has(optAutoUnload) || r.Options.has(optProdTable) || !r.Options.has(optBattleProtocol) || !r.Options.has(optSortGroups) {
			t.Fatalf("options %b", r.Options)
		}
		run(t, g, "o no autoUnload\no prodTable\no no battleProtocol", "")
		if r = g.st.Races[0]; r.Options != 0 {
			t.Fatalf("options %b, want the defaults", r.Options)
		}
		run(t, g, "o colour\no xmlReport\no", "")
		mustMistake(t, g, "a", 1, `unknown option "colour"`)
		mustMistake(t, g, "a", 2, "set on your account page")
		mustMistake(t, g, "a", 3, "expected o [no] <option>")
	})
	t.Run("q leaves the game at the end of the turn", func(t *testing.T) {
		g := newTestGame(t)
		home := homeOf(t, g.st, 0)
		res := run(t, g, "q Alpha", "")
		if res.Reports["a"].Data.Status != "quit" || g.st.Planets[home].Owner != noRace || len(g.st.Races[0].Groups) != 0 {
			t.Fatalf("status %q, home owner %d", res.Reports["a"].Data.Status, g.st.Planets[home].Owner)
		}
		if !strings.Contains(res.Reports["b"].Text, "Alpha left the game.") {
			t.Fatal("the others are not told")
		}
	})
	t.Run("q needs the race's own name", func(t *testing.T) {
		g := newTestGame(t)
		run(t, g, "q Beta_Race\nq", "")
		mustMistake(t, g, "a", 1, "give your own race name: q Alpha")
		mustMistake(t, g, "a", 2, "expected q <your race name>")
		if !g.st.Races[0].active() {
			t.Fatal("race left")
		}
	})
	for _, c := range []struct{ order, want string }{
		{"y secret", "orders password is set on the game's page"},
		{"z me@example.org", "change it on your account page"},
		{"f Beta_Race", "#RELAY"},
	} {
		t.Run(c.order+" is the platform's", func(t *testing.T) {
			g := newTestGame(t)
			run(t, g, c.order, "")
			mustMistake(t, g, "a", 1, c.want)
		})
	}
}

func TestOptionsInPlay(t *testing.T) {
	t.Run("autoUnload empties cargo at the race's planets", func(t *testing.T) {
		g := newTestGame(t)
		home := homeOf(t, g.st, 0)
		addType(g.st, 0, "Ship", 1, 0, 0, 0, 10)
		gr := addGroup(g.st, 0, "Ship", 2, home)
		gr.Cargo, gr.Load = cargoMAT, 5
		mat := g.st.Planets[home].MAT
		run(t, g, "o autoUnload", "")
		if gr = groupOfType(t, g.st, 0, "Ship"); gr.Load != 0 {
			t.Fatalf("group %+v kept its cargo", gr)
		}
		if got := g.st.Planets[home].MAT; got < mat+10-1e-9 {
			t.Fatalf("MAT %v, want at least %v", got, mat+10)
		}
	})
	t.Run("without autoUnload cargo stays aboard", func(t *testing.T) {
		g := newTestGame(t)
		home := homeOf(t, g.st, 0)
		addType(g.st, 0, "Ship", 1, 0, 0, 0, 10)
		gr := addGroup(g.st, 0, "Ship", 2, home)
		gr.Cargo, gr.Load = cargoMAT, 5
		run(t, g, "", "")
		if gr = groupOfType(t, g.st, 0, "Ship"); gr.Load != 5 {
			t.Fatalf("group %+v", gr)
		}
	})
	t.Run("battleProtocol lists every shot to those who asked", func(t *testing.T) {
		g := newTestGame(t)
		spot := freePlanet(t, g.st, homeOf(t, g.st, 0))
		addType(g.st, 0, "Gun", 1, 1, 10, 10, 0)
		addType(g.st, 1, "Gun", 1, 1, 10, 10, 0)
		addGroup(g.st, 0, "Gun", 5, spot)
		addGroup(g.st, 1, "Gun", 5, spot)
		g.st.Races[0].Options.set(optBattleProtocol, true)
		res := run(t, g, "", "")
		a, b := res.Reports["a"].Data.Battles[0], res.Reports["b"].Data.Battles[0]
		if len(a.Protocol) != a.Shots || a.Shots == 0 || len(b.Protocol) != 0 {
			t.Fatalf("protocol of %d and %d shots, %d fired", len(a.Protocol), len(b.Protocol), a.Shots)
		}
		destroyed := 0
		for _, s := range a.Protocol {
			if s.Destroyed {
				destroyed++
			}
		}
		lost := 0
		for _, bg := range a.Groups {
			lost += bg.Ships - bg.Left
		}
		if destroyed != lost {
			t.Fatalf("protocol destroys %d ships, the battle %d", destroyed, lost)
		}
		if !strings.Contains(res.Reports["a"].Text, "Alpha Gun fires on Beta_Race Gun : ") || strings.Contains(res.Reports["b"].Text, "Battle Protocol") {
			t.Fatal("the text protocol is wrong")
		}
	})
	t.Run("the planet's owner with no ships there gets the protocol too", func(t *testing.T) {
		g, err := New(1, Settings{}, append(slices.Clone(testRaces), RaceSpec{ID: "c", Name: "Gamma"}))
		if err != nil {
			t.Fatal(err)
		}
		spot := freePlanet(t, g.st, homeOf(t, g.st, 0))
		g.st.Planets[spot].Owner = 0
		addType(g.st, 1, "Gun", 1, 1, 10, 10, 0)
		addType(g.st, 2, "Gun", 1, 1, 10, 10, 0)
		addGroup(g.st, 1, "Gun", 3, spot)
		addGroup(g.st, 2, "Gun", 3, spot)
		g.st.Races[0].Options.set(optBattleProtocol, true)
		res, err := g.RunTurn(map[string]string{"a": ";", "b": ";", "c": ";"})
		if err != nil {
			t.Fatal(err)
		}
		bs := res.Reports["a"].Data.Battles
		if len(bs) != 1 || len(bs[0].Protocol) != bs[0].Shots || bs[0].Shots == 0 {
			t.Fatalf("the owner's battles %+v", bs)
		}
	})
	t.Run("prodTable off hides the ships in production", func(t *testing.T) {
		g := newTestGame(t)
		home := homeOf(t, g.st, 0)
		run(t, g, fmt.Sprintf("d Drone 1 0 0 0 0\np %s Drone", pname(g.st, home)), "")
		res := run(t, g, "", "")
		if len(res.Reports["a"].Data.ShipsInProduction) == 0 {
			t.Fatal("nothing in production")
		}
		res = run(t, g, "o no prodTable", "")
		if len(res.Reports["a"].Data.ShipsInProduction) != 0 || strings.Contains(res.Reports["a"].Text, "Ships In Production") {
			t.Fatal("production shown with prodTable off")
		}
	})
	t.Run("forecast options choose the forecast's sections", func(t *testing.T) {
		g := newTestGame(t)
		run(t, g, "o no groupForecast\no no shipTypeForecast", "")
		res, err := g.CheckOrders("a", "")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(res.Forecast, "Your Groups") || !strings.Contains(res.Forecast, "Your Planets") {
			t.Fatalf("forecast:\n%s", res.Forecast)
		}
	})
	t.Run("sortGroups numbers groups by where they are", func(t *testing.T) {
		g := newTestGame(t)
		home, other := homeOf(t, g.st, 0), homeOf(t, g.st, 1)
		addType(g.st, 0, "Rock", 0, 0, 0, 1, 0)
		addType(g.st, 0, "Pebble", 0, 0, 0, 2, 0)
		addGroup(g.st, 0, "Rock", 1, other)  // at another race's planet
		addGroup(g.st, 0, "Pebble", 1, home) // at home
		run(t, g, "", "")
		if groupOfType(t, g.st, 0, "Pebble").Num >= groupOfType(t, g.st, 0, "Rock").Num {
			t.Fatal("a group at home is not numbered before one at another race's planet")
		}
		run(t, g, "o no sortGroups", "")
		run(t, g, "", "")
		// Without sorting, numbers follow the old order, which the
		// sorted turn left as it was.
		if groupOfType(t, g.st, 0, "Pebble").Num >= groupOfType(t, g.st, 0, "Rock").Num {
			t.Fatal("numbers changed without sortGroups")
		}
	})
}

func TestOtherRacesShipTypes(t *testing.T) {
	g := newTestGame(t)
	home := homeOf(t, g.st, 0)
	addType(g.st, 1, "Spy", 1, 0, 0, 2, 0)
	addType(g.st, 1, "Hidden", 1, 0, 0, 0, 0)
	addGroup(g.st, 1, "Spy", 1, home)
	res := run(t, g, "a Beta_Race", "a Alpha")
	d := res.Reports["a"].Data
	if len(d.OtherShipTypes) != 1 || d.OtherShipTypes[0].Race != "Beta Race" || len(d.OtherShipTypes[0].Types) != 1 ||
		d.OtherShipTypes[0].Types[0].Name != "Spy" || d.OtherShipTypes[0].Types[0].Mass != 3 {
		t.Fatalf("other ship types %+v", d.OtherShipTypes)
	}
	if !strings.Contains(res.Reports["a"].Text, "Beta_Race Ship Types") || strings.Contains(res.Reports["a"].Text, "Hidden") {
		t.Fatal("the text does not show exactly the seen design")
	}
	if len(res.Reports["b"].Data.OtherShipTypes) != 0 {
		t.Fatalf("Beta saw %+v", res.Reports["b"].Data.OtherShipTypes)
	}
}
