package svg

// MapView is everything Map draws: one race's view of the galaxy in one turn.
// Coordinates are galaxy coordinates as the reports print them: x grows to
// the right and y grows downwards, from 0 to Size.
type MapView struct {
	// Size is the side of the square galaxy (the report's map_size).
	Size float64
	// Wrap tells that the galaxy wraps around at its edges (a torus): routes
	// then take the short way, possibly across an edge.
	Wrap bool
	// Me is the viewing race's name; planets it owns are drawn as "mine" and
	// groups with this Race (or none) as its own.
	Me string
	// Planets are the planets the race knows of, each drawn once.
	Planets []Planet
	// Groups are the race's groups, other races' groups it sees and the
	// groups heading for its planets.
	Groups []Group
	// Selected names the planet to highlight; empty for none.
	Selected string
	// LinkFor gives the href a click on a planet follows; nil for no links.
	// Only relative and http(s) URLs are kept.
	LinkFor func(planet string) string
	// Label is the accessible name of the picture; a default naming the race
	// and counting planets is used when empty.
	Label string
}

// Planet kinds, as the report sorts planets.
const (
	KindMine         = "mine"         // owned by the viewing race
	KindOther        = "other"        // owned by another race
	KindUninhabited  = "uninhabited"  // seen, no owner
	KindUnidentified = "unidentified" // only the position is known
)

// Planet is one planet on the map.
type Planet struct {
	Number int
	Name   string
	X, Y   float64
	// Size is the planet's size (0.01–1000), 0 when unknown.
	Size float64
	// Owner is the owning race's name, "" when none or unknown.
	Owner string
	// Kind is one of the Kind constants; when empty it is worked out from
	// Owner, MapView.Me and Size.
	Kind                 string
	Population, Industry float64
}

// Group is one group of ships on the map.
type Group struct {
	// Race owns the group; "" (or MapView.Me) for the viewing race's own.
	Race string
	// Number is the group number orders use (own groups only, 0 otherwise).
	Number int
	Ships  int
	Type   string
	// X, Y is where the group is: its planet when in orbit, its point in
	// hyperspace when in flight. See Unplaced.
	X, Y float64
	// Origin and Destination name planets; DestX, DestY is the destination's
	// position, used only when Destination is not among MapView.Planets.
	Origin, Destination string
	DestX, DestY        float64
	// InFlight tells that the group is in hyperspace, on its way to
	// Destination.
	InFlight bool
	// Incoming marks another race's group heading for one of the viewing
	// race's planets (the report's incoming groups); drawn as a warning.
	Incoming bool
	// Distance is the distance left to Destination, in light years.
	Distance float64
	// Unplaced tells that X, Y are unknown, as for the report's incoming
	// groups, which give only origin, destination and distance: Map then
	// places the group Distance short of Destination on the short way from
	// Origin (both must be among MapView.Planets, else the group is left
	// out).
	Unplaced bool
}
