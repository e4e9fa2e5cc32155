package game

import (
	"strings"
)

// option is one of a race's report and play options, set with o.
type option uint8

// The options, named as in GalaxyNG's o order.
const (
	optAnonymous option = iota
	optAutoUnload
	optProdTable
	optSortGroups
	optGroupForecast
	optPlanetForecast
	optShipTypeForecast
	optRoutesForecast
	optBattleProtocol
	numOptions
)

// optionInfo describes an option: its name in orders and reports, whether a
// new race has it on, and what it does, for the report's options section.
type optionInfo struct {
	name string
	on   bool
	does string
}

// options lists the options in GalaxyNG's order. The defaults are
// GalaxyNG's, except autoUnload: our rules make unloading an explicit u
// order, so a race turns automatic unloading on itself.
var options = [numOptions]optionInfo{
	optAnonymous:        {"anonymous", true, "others do not see your real name"},
	optAutoUnload:       {"autoUnload", false, "groups unload their cargo at your planets and at free ones"},
	optProdTable:        {"prodTable", true, "the report lists the ships in production"},
	optSortGroups:       {"sortGroups", true, "groups are numbered by where they are"},
	optGroupForecast:    {"groupForecast", true, "the order check forecasts your groups and fleets"},
	optPlanetForecast:   {"planetForecast", true, "the order check forecasts your planets"},
	optShipTypeForecast: {"shipTypeForecast", true, "the order check lists your ship types"},
	optRoutesForecast:   {"routesForecast", true, "the order check lists your routes"},
	optBattleProtocol:   {"battleProtocol", false, "the report lists every shot of every battle"},
}

// platformOptions are GalaxyNG options about how reports are delivered,
// which the platform decides rather than the engine.
var platformOptions = []string{"compress", "gplus", "machineReport", "xmlReport", "txtReport"}

// optionFlips holds, bit by bit, the options a race has set away from their
// defaults: the zero value is "all defaults", which is also what snapshots
// from before options existed mean.
type optionFlips uint16

// has reports whether option o is on.
func (f optionFlips) has(o option) bool { return options[o].on != (f&(1<<o) != 0) }

// set turns option o on or off.
func (f *optionFlips) set(o option, on bool) {
	if on == options[o].on {
		*f &^= 1 << o
	} else {
		*f |= 1 << o
	}
}

// optionByName finds an option by its name, case-insensitively.
func optionByName(name string) (option, bool) {
	for o := range numOptions {
		if strings.EqualFold(options[o].name, name) {
			return o, true
		}
	}
	return 0, false
}

// OptionInfo is one of the race's options as the report shows it.
type OptionInfo struct {
	Name string `json:"name"`
	On   bool   `json:"on"`
	Does string `json:"does"`
}

// optionInfos lists every option of race r.
func optionInfos(r *race) []OptionInfo {
	out := make([]OptionInfo, numOptions)
	for o := range numOptions {
		out[o] = OptionInfo{Name: options[o].name, On: r.Options.has(o), Does: options[o].does}
	}
	return out
}
