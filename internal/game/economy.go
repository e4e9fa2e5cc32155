package game

import (
	"fmt"
	"math"
)

// Economy constants of the rules.
const (
	growthRate      = 0.08   // population growth per turn
	capProduction   = 5.0    // production per unit of CAP (plus 1 MAT)
	shipProduction  = 10.0   // production per unit of ship mass (plus its mass in MAT)
	researchCost    = 5000.0 // production per level of DRIVE, WEAPONS, SHIELDS
	cargoResearch   = 2500.0 // production per level of CARGO
	productionEpsil = 1e-9   // slack for float sums when deciding whether a ship is paid
)

// productionOf = industry × 0.75 + population × 0.25.
func productionOf(ind, pop float64) float64 { return ind*0.75 + pop*0.25 }

// grow applies one turn of population growth: 8 %, capped at the planet's
// size, with the excess becoming COL at 8 population per COL.
func grow(p *planet) {
	p.Pop *= 1 + growthRate
	if p.Pop > p.Size {
		p.COL += (p.Pop - p.Size) / colonistsPerCOL
		p.Pop = p.Size
	}
}

// investCAP turns the CAP stockpile into industry, one for one, as far as
// population allows.
func investCAP(p *planet) {
	room := p.Pop - p.Ind
	if room <= 0 || p.CAP <= 0 {
		return
	}
	use := math.Min(room, p.CAP)
	p.Ind += use
	p.CAP -= use
}

// produceMAT adds production × resources to the MAT stockpile.
func produceMAT(p *planet, prod float64) { p.MAT += prod * p.Resources }

// produceCAP makes CAP at 5 production plus 1 MAT per unit, using the MAT
// stockpile first; without MAT the missing material is mined on the spot, so
// the rate falls to production / (5 + 1 / resources).
func produceCAP(p *planet, prod float64) float64 {
	fromStock := math.Min(p.MAT, prod/capProduction)
	p.MAT -= fromStock
	prod -= fromStock * capProduction
	made := fromStock
	if prod > 0 && p.Resources > 0 {
		made += prod / (capProduction + 1/p.Resources)
	}
	p.CAP += made
	return made
}

// shipCost is the production needed for one more ship of mass m with the
// MAT in stock: 10 per unit of mass, plus whatever MAT must be mined.
func shipCost(p *planet, m float64) (prod, mat float64) {
	mat = math.Min(p.MAT, m)
	prod = shipProduction * m
	if missing := m - mat; missing > 0 {
		if p.Resources <= 0 {
			return math.Inf(1), mat
		}
		prod += missing / p.Resources
	}
	return prod, mat
}

// productionPhase is step 8: every owned planet makes ships, MAT or CAP or
// does research with what upgrades left of its production; then tech levels
// rise and populations grow, and CAP becomes industry. only, when not
// negative, limits it to one race (for forecasts).
func productionPhase(st *state, only int) {
	research := make([][numTech]float64, len(st.Races))
	for i, p := range st.Planets {
		ri := p.Owner
		if ri == noRace || (only >= 0 && ri != only) {
			continue
		}
		prod := math.Max(0, p.production()-p.spent)
		switch p.Prod {
		case prodShip:
			buildShipsAt(st, ri, i, prod)
		case prodMAT:
			produceMAT(p, prod)
		case prodCAP:
			produceCAP(p, prod)
		default:
			t, _ := p.Prod.tech()
			cost := researchCost
			if t == techCargo {
				cost = cargoResearch
			}
			research[ri][t] += prod / cost
		}
	}
	for ri, r := range st.Races {
		for t := range numTech {
			r.Tech[t] += research[ri][t]
		}
	}
	for _, p := range st.Planets {
		if p.Owner == noRace || (only >= 0 && p.Owner != only) {
			continue
		}
		grow(p)
		investCAP(p)
	}
}

// buildShipsAt spends prod plus the carried-over progress of planet i on
// ships of its type; what does not pay for a whole ship carries over. The
// new ships form a group with the race's current tech, as groupTech keeps it.
func buildShipsAt(st *state, ri, i int, prod float64) int {
	p := st.Planets[i]
	r := st.Races[ri]
	t := r.shipType(p.ShipType)
	if t == nil {
		return 0
	}
	m := t.mass()
	budget := p.Progress + prod
	built := 0
	for {
		cost, mat := shipCost(p, m)
		if budget+productionEpsil < cost {
			break
		}
		budget -= cost
		p.MAT -= mat
		built++
	}
	p.Progress = math.Max(0, budget)
	if built > 0 {
		r.Groups = append(r.Groups, &group{
			Num: r.nextGroupNum(), Type: t.Name, Ships: built, Tech: groupTech(t, r.Tech), At: i, typ: t,
		})
		addNews(r, fmt.Sprintf("Planet %s built %d %s.", displayName(p.Name), built, displayName(t.Name)))
		r.MassProduced += m * float64(built)
	}
	return built
}
