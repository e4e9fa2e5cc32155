package svg

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// bigView is a late game of 25 races: 250 planets, 2,000 groups, about half
// of them in flight, on a wrapping map.
func bigView() MapView {
	rng := rand.New(rand.NewPCG(1, 2))
	const side = 250.0
	races := make([]string, 25)
	for i := range races {
		races[i] = "Race_" + strconv.Itoa(i)
	}
	v := MapView{Size: side, Wrap: true, Me: races[0], Selected: "P7",
		LinkFor: func(p string) string { return "/games/g/map?planet=" + p }}
	for i := range 250 {
		p := Planet{Number: i + 1, Name: "P" + strconv.Itoa(i), X: rng.Float64() * side, Y: rng.Float64() * side}
		switch i % 4 {
		case 0, 1:
			p.Owner, p.Size, p.Population, p.Industry = races[i%25], 1+rng.Float64()*999, 500, 300
		case 2:
			p.Size = rng.Float64() * 300
		}
		v.Planets = append(v.Planets, p)
	}
	for i := range 2000 {
		from, to := &v.Planets[rng.IntN(250)], &v.Planets[rng.IntN(250)]
		g := Group{Race: races[i%25], Number: i + 1, Ships: 1 + rng.IntN(20), Type: "Type" + strconv.Itoa(i%7),
			X: from.X, Y: from.Y, Origin: from.Name, Destination: to.Name}
		if i%2 == 0 {
			g.InFlight, g.Distance = true, 10
			g.X, g.Y = rng.Float64()*side, rng.Float64()*side
		}
		if i%50 == 0 {
			g.Race, g.Incoming, g.Unplaced = "", true, true
		}
		v.Groups = append(v.Groups, g)
	}
	return v
}

func TestBigMapIsWellFormed(t *testing.T) {
	v := bigView()
	if got := len(planets(t, parse(t, string(Map(v))))); got != 250 {
		t.Errorf("%d planets drawn", got)
	}
}

func BenchmarkMap25Races(b *testing.B) {
	v := bigView()
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Map(v))
	}
	b.ReportMetric(float64(n)/1024, "KiB/map")
}

func BenchmarkChart(b *testing.B) {
	c := series(200)
	b.ReportAllocs()
	for b.Loop() {
		Chart(c)
	}
}
