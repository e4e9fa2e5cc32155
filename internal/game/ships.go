package game

import (
	"math"
	"strconv"
)

// The indices of the four technologies, in the order of the rules and of
// every report column (D W S C).
const (
	techDrive = iota
	techWeapons
	techShields
	techCargo
	numTech
)

// techNames are the production and report names of the technologies.
var techNames = [numTech]string{"DRIVE", "WEAPONS", "SHIELDS", "CARGO"}

// cubeRoot30 is the reference-mass factor of the defence formula: a ship of
// mass 30 defends with exactly its shields × shield tech.
var cubeRoot30 = math.Cbrt(30)

// shipType is a race's design: the masses of its drive, weapons, shields and
// cargo hold, and the number of attacks (guns).
type shipType struct {
	Name    string  `json:"name"`
	Drive   float64 `json:"d"`
	Attacks int     `json:"a"`
	Weapons float64 `json:"w"`
	Shields float64 `json:"s"`
	Cargo   float64 `json:"c"`
}

// weaponsMass follows the rules: extra guns weigh half a first gun each.
func (t *shipType) weaponsMass() float64 {
	return weaponsMass(t.Attacks, t.Weapons)
}

// mass is the empty mass of one ship of the type.
func (t *shipType) mass() float64 {
	return shipMass(t.Drive, t.Attacks, t.Weapons, t.Shields, t.Cargo)
}

// armed reports whether ships of the type can shoot.
func (t *shipType) armed() bool { return t.Attacks > 0 && t.Weapons > 0 }

// componentMasses lists the mass of each technology's component, the weights
// of the upgrade cost.
func (t *shipType) componentMasses() [numTech]float64 {
	return [numTech]float64{t.Drive, t.weaponsMass(), t.Shields, t.Cargo}
}

// weaponsMass = W + (A − 1) × W / 2, and nothing without guns.
func weaponsMass(attacks int, weapons float64) float64 {
	if attacks <= 0 {
		return 0
	}
	return weapons + float64(attacks-1)*weapons/2
}

// shipMass = D + weapons mass + S + C.
func shipMass(drive float64, attacks int, weapons, shields, cargo float64) float64 {
	return drive + weaponsMass(attacks, weapons) + shields + cargo
}

// loadedMass is the mass of one ship with its cargo: its empty mass plus
// load / cargo tech, cargo weighing less as cargo technology improves
// (GalaxyNG's shipmass, lib/util.c).
func loadedMass(mass, load, cargoTech float64) float64 {
	if load > 0 && cargoTech > 0 {
		return mass + load/cargoTech
	}
	return mass + max(load, 0)
}

// shipSpeed = 20 × drive tech × D / loaded mass (GalaxyNG's groupSpeed).
func shipSpeed(driveTech, drive, mass, load, cargoTech float64) float64 {
	if drive <= 0 {
		return 0
	}
	full := loadedMass(mass, load, cargoTech)
	if full <= 0 {
		return 0
	}
	return 20 * driveTech * drive / full
}

// cargoCapacity = cargo tech × C × (1 + C / 10): big holds carry more per
// unit of mass.
func cargoCapacity(cargoTech, cargo float64) float64 {
	return cargoTech * cargo * (1 + cargo/10)
}

// attackStrength = W × weapons tech.
func attackStrength(weapons, weaponsTech float64) float64 {
	return weapons * weaponsTech
}

// defenceStrength = S × shields tech × 30^(1/3) / mass^(1/3): the same
// shields protect a small ship better than a big one.
func defenceStrength(shields, shieldsTech, mass float64) float64 {
	if shields <= 0 || mass <= 0 {
		return 0
	}
	return shields * shieldsTech * cubeRoot30 / math.Cbrt(mass)
}

// upgradeCost is the production needed to bring one ship built with tech
// shipTech up to the race's current tech: 10 × Σ (1 − ship/current) × mass
// over the components that are behind.
func upgradeCost(t *shipType, shipTech, current [numTech]float64) float64 {
	masses := t.componentMasses()
	cost := 0.0
	for i := range numTech {
		if masses[i] <= 0 || current[i] <= 0 || shipTech[i] >= current[i] {
			continue
		}
		cost += (1 - shipTech[i]/current[i]) * masses[i]
	}
	return 10 * cost
}

// groupTech is the tech a group of type t gets when it is built or upgraded
// (GalaxyNG's cktech): each level rounded to two decimals, and 0 for a component
// the type lacks, so that groups built at nearly the same tech merge and
// the tables show 0.00 where a ship has no such part.
func groupTech(t *shipType, tech [numTech]float64) [numTech]float64 {
	masses := t.componentMasses()
	for i := range numTech {
		if masses[i] <= 0 {
			tech[i] = 0
		} else {
			tech[i] = twoDecimals(tech[i])
		}
	}
	return tech
}

// twoDecimals rounds x to two decimals exactly as printing it with "%.2f"
// and reading it back does (GalaxyNG's ftrunc2). Away from a tie the
// arithmetic gives the same number without the round trip through text.
func twoDecimals(x float64) float64 {
	y := x * 100
	n := math.Round(y)
	if math.Abs(math.Abs(y-n)-0.5) > 1e-6 {
		return n / 100
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	if err != nil {
		return n / 100
	}
	return v
}

// killProbability = clamp((log₄(attack/defence) + 1) / 2, 0, 1): the chance
// that attack/defence > 4^U for U uniform in (−1, 1).
func killProbability(attack, defence float64) float64 {
	if attack <= 0 {
		return 0
	}
	if defence <= 0 {
		return 1
	}
	p := (math.Log(attack/defence)/math.Log(4) + 1) / 2
	return math.Max(0, math.Min(1, p))
}

// standoffRatio is the attack/defence ratio at or below which a shot is
// considered harmless when deciding whether a battle goes on. A ratio of
// exactly 1/4 gives no chance at all; the small margin ends battles whose
// remaining chances are negligible.
const standoffRatio = 0.251

// canHurt reports whether an attack can harm a defence under the standoff rule.
func canHurt(attack, defence float64) bool {
	if attack <= 0 {
		return false
	}
	if defence <= 0 {
		return true
	}
	return attack/defence > standoffRatio
}
