package game

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/galaxy-platform/galaxy/internal/errs"
)

// Galaxy generation parameters. The map side grows with the square root of
// the number of races so that the area per race, and so the distance between
// home worlds, stays about the same in every game.
const (
	// DefaultPlanetsPerRace is the planets generated per race when
	// Settings.PlanetsPerRace is 0.
	DefaultPlanetsPerRace = 10
	// MinPlanetsPerRace is a home world and its two developed worlds.
	MinPlanetsPerRace = 3
	// MaxPlanetsPerRace bounds the galaxy so that generation and turns stay fast.
	MaxPlanetsPerRace = 40
	// MaxRaces bounds one game.
	MaxRaces = 200

	spacing        = 40.0 // light years of map side per square root of races
	homeJitter     = 0.1  // share of a grid cell a home world may move off its centre
	nearPlanets    = 3    // empty planets in every home world's neighbourhood
	developedMin   = 2.5  // distance band of the two developed worlds
	developedMax   = 5.0
	nearMin        = 6.0 // distance band of the neighbourhood planets
	nearMax        = 12.0
	minSeparation  = 1.5 // between any two planets where possible
	homeSize       = 1000.0
	homeResources  = 10.0
	placementTries = 200
)

// developedSizes are the sizes of the two developed worlds of every race.
var developedSizes = [2]float64{500, 250}

// newState validates the input and generates turn 0.
func newState(seed int64, settings Settings, specs []RaceSpec) (*state, error) {
	if err := validate(settings, specs); err != nil {
		return nil, err
	}
	n := len(specs)
	st := &state{Seed: seed, Settings: settings, StartRaces: n}
	st.Side = math.Max(spacing, math.Round(spacing*math.Sqrt(float64(n))))
	for i, sp := range specs {
		r := &race{
			ID:    sp.ID,
			Name:  strings.TrimSpace(sp.Name),
			Tech:  [numTech]float64{1, 1, 1, 1},
			Peace: make([]bool, n),
		}
		r.Peace[i] = true
		r.indexTypes()
		st.Races = append(st.Races, r)
	}
	generate(st, newRNG(seed, 0))
	return st, nil
}

// validate rejects games that cannot be played or named in orders.
func validate(settings Settings, specs []RaceSpec) error {
	if len(specs) == 0 {
		return errs.E(errs.InvalidArgument, "a game needs at least one race").WithDetail("field", "races")
	}
	if len(specs) > MaxRaces {
		return errs.E(errs.InvalidArgument, "a game has at most %d races", MaxRaces).WithDetail("field", "races")
	}
	if err := settings.Validate(); err != nil {
		return err
	}
	ids := map[string]bool{}
	names := map[string]bool{}
	for i, sp := range specs {
		if sp.ID == "" {
			return errs.E(errs.InvalidArgument, "race %d has no id", i+1).WithDetail("field", "races")
		}
		name := strings.TrimSpace(sp.Name)
		if name == "" {
			return errs.E(errs.InvalidArgument, "race %q has no name", sp.ID).WithDetail("field", "races")
		}
		if strings.ContainsFunc(name, func(c rune) bool { return c == ';' || unicode.IsControl(c) }) {
			return errs.E(errs.InvalidArgument, "race name %q cannot be typed in orders (no ';' or control characters)", name).
				WithDetail("field", "races")
		}
		if ids[sp.ID] {
			return errs.E(errs.InvalidArgument, "duplicate race id %q", sp.ID).WithDetail("field", "races")
		}
		key := nameKey(name)
		if names[key] {
			return errs.E(errs.InvalidArgument, "duplicate race name %q", name).WithDetail("field", "races")
		}
		ids[sp.ID] = true
		names[key] = true
	}
	return nil
}

// Validate reports the first setting the engine cannot play with
// (invalid_argument naming the field under "settings."). The lobby calls it
// when a game is created, so a game never fails at its start for a setting.
func (s Settings) Validate() error {
	bad := func(field, format string, args ...any) error {
		return errs.E(errs.InvalidArgument, "settings."+field+" "+format, args...).
			WithDetail("field", "settings."+field).WithDetail("reason", "out_of_range")
	}
	switch {
	case s.MaxTurns < 0:
		return bad("max_turns", "must not be negative (0 means no limit)")
	case s.IdleTurnsLimit < 0:
		return bad("idle_turns_limit", "must not be negative (0 means the classic rule)")
	case s.PlanetsPerRace != 0 && (s.PlanetsPerRace < MinPlanetsPerRace || s.PlanetsPerRace > MaxPlanetsPerRace):
		return bad("planets_per_race", "must be between %d and %d (0 means %d)", MinPlanetsPerRace, MaxPlanetsPerRace, DefaultPlanetsPerRace)
	}
	return nil
}

// planetsPerRace applies the default.
func (s Settings) planetsPerRace() int {
	if s.PlanetsPerRace == 0 {
		return DefaultPlanetsPerRace
	}
	return s.PlanetsPerRace
}

// generate places every planet. Fairness comes from symmetry: home worlds sit
// near the centres of an even grid, every home world gets the same developed
// worlds and the same neighbourhood planets (identical sizes and resources,
// random directions), and the remaining planets are scattered where they do
// not crowd any neighbourhood.
func generate(st *state, r *rng) {
	n := len(st.Races)
	perRace := st.Settings.planetsPerRace()
	near := min(nearPlanets, perRace-3)

	// Home worlds: n cells of a k×k grid, chosen at random.
	k := int(math.Ceil(math.Sqrt(float64(n))))
	cell := st.Side / float64(k)
	cells := spreadCells(st, r, n, k, cell)
	homes := make([][2]float64, n)
	for i := range n {
		c := cells[i]
		x := (float64(c%k)+0.5)*cell + r.between(-homeJitter, homeJitter)*cell
		y := (float64(c/k)+0.5)*cell + r.between(-homeJitter, homeJitter)*cell
		homes[i] = [2]float64{round2(x), round2(y)}
	}

	// The neighbourhood planets are drawn once and copied around each home.
	type proto struct{ size, res float64 }
	protos := make([]proto, near)
	for i := range protos {
		protos[i] = proto{size: round2(r.between(100, 700)), res: round2(resources(r))}
	}

	var planets []*planet
	place := func(p *planet) { planets = append(planets, p) }
	for i := range n {
		hx, hy := homes[i][0], homes[i][1]
		place(&planet{X: hx, Y: hy, Size: homeSize, Resources: homeResources,
			Pop: homeSize, Ind: homeSize, Owner: i, Prod: prodDrive})
		local := []*planet{planets[len(planets)-1]}
		around := func(lo, hi float64) (float64, float64) {
			var x, y float64
			for try := 0; ; try++ {
				a := r.between(0, 2*math.Pi)
				d := r.between(lo, hi)
				x, y = round2(hx+d*math.Cos(a)), round2(hy+d*math.Sin(a))
				if st.Settings.Wrap {
					x, y = wrapCoord(x, st.Side), wrapCoord(y, st.Side)
				} else if x < 0 || y < 0 || x >= st.Side || y >= st.Side {
					if try < placementTries {
						continue
					}
					x, y = clampCoord(x, st.Side), clampCoord(y, st.Side)
				}
				if try >= placementTries || clearOf(st, local, x, y, minSeparation) {
					return x, y
				}
			}
		}
		for _, size := range developedSizes {
			x, y := around(developedMin, developedMax)
			place(&planet{X: x, Y: y, Size: size, Resources: homeResources,
				Pop: size, Ind: size, Owner: i, Prod: prodDrive})
			local = append(local, planets[len(planets)-1])
		}
		for _, pr := range protos {
			x, y := around(nearMin, nearMax)
			place(&planet{X: x, Y: y, Size: pr.size, Resources: pr.res, Owner: noRace})
			local = append(local, planets[len(planets)-1])
		}
	}

	// The rest are scattered, away from every neighbourhood when possible.
	rest := n*perRace - len(planets)
	for range rest {
		var x, y float64
		for try := 0; ; try++ {
			x, y = round2(r.between(0, st.Side)), round2(r.between(0, st.Side))
			if try >= placementTries {
				break
			}
			if clearOfHomes(st, homes, x, y, nearMax) && clearOf(st, planets, x, y, 2*minSeparation) {
				break
			}
		}
		u := r.float()
		size := round2(math.Max(0.01, 1000*u*u))
		place(&planet{X: x, Y: y, Size: size, Resources: round2(resources(r)), Owner: noRace})
	}

	// Shuffle so that planet numbers reveal nothing, then name them by number.
	r.shuffle(len(planets), func(i, j int) { planets[i], planets[j] = planets[j], planets[i] })
	for i, p := range planets {
		p.Name = strconv.Itoa(i + 1)
	}
	st.Planets = planets
}

// cellTries is how many random choices of grid cells are compared when
// there are more cells than races.
const cellTries = 64

// spreadCells chooses n of the k×k grid cells for home worlds. When the grid
// has spare cells, the choice that keeps the closest two home worlds
// farthest apart wins, so that no two races start needlessly close.
func spreadCells(st *state, r *rng, n, k int, cell float64) []int {
	all := make([]int, k*k)
	for i := range all {
		all[i] = i
	}
	tries := cellTries
	if n == len(all) {
		tries = 1
	}
	var best []int
	bestScore := -1.0
	for range tries {
		r.shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		score := math.Inf(1)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				a, b := all[i], all[j]
				d := st.distXY(float64(a%k)*cell, float64(a/k)*cell, float64(b%k)*cell, float64(b/k)*cell)
				score = math.Min(score, d)
			}
		}
		if score > bestScore {
			best, bestScore = append([]int(nil), all[:n]...), score
		}
	}
	return best
}

// resources = 2^U with U uniform in (−1, 1).
func resources(r *rng) float64 { return math.Pow(2, r.symmetric()) }

// clearOf reports whether (x, y) is at least d away from every planet given.
func clearOf(st *state, planets []*planet, x, y, d float64) bool {
	for _, p := range planets {
		if st.distXY(p.X, p.Y, x, y) < d {
			return false
		}
	}
	return true
}

// clearOfHomes reports whether (x, y) is at least d away from every home.
func clearOfHomes(st *state, homes [][2]float64, x, y, d float64) bool {
	for _, h := range homes {
		if st.distXY(h[0], h[1], x, y) < d {
			return false
		}
	}
	return true
}

// round2 rounds to hundredths, the precision of every report.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// wrapCoord brings a coordinate into [0, side) on a wrapping map.
func wrapCoord(v, side float64) float64 {
	v = math.Mod(v, side)
	if v < 0 {
		v += side
	}
	v = round2(v)
	if v >= side {
		v = 0
	}
	return v
}

// clampCoord keeps a coordinate inside a bounded map.
func clampCoord(v, side float64) float64 { return math.Max(0, math.Min(side-0.01, v)) }
