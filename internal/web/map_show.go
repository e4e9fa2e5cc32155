package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/galaxy-platform/galaxy/internal/web/svg"
)

type mapPage struct {
	playBase
	// Turn is the turn asked for in the query ("" for the latest).
	Turn string
	// Map is the drawn galaxy; empty without a report.
	Map template.HTML
	// Legend explains the map's colours.
	Legend []legendEntry
	// Planet is the chosen planet's panel; nil when none is chosen.
	Planet *planetPanel
	// Unknown is a planet asked for that the report does not know.
	Unknown string
}

// MapShow is the galaxy map of a running game.
func (u *UI) MapShow(w http.ResponseWriter, r *http.Request) { u.signedIn(u.mapShow)(w, r) }

// mapShow draws the race's latest map (or ?turn=N's), with the panel of the
// planet chosen by ?planet= beside it.
func (u *UI) mapShow(w http.ResponseWriter, r *http.Request, s *Session) {
	gameID := r.PathValue("game_id")
	q := r.URL.Query()
	turn, ok := parseTurn(q.Get("turn"))
	if !ok {
		u.playNotFound(w, r, s, "There is no such turn.")
		return
	}
	b, err := u.gameAndReport(r.Context(), s, gameID, turn)
	if err != nil {
		u.fail(w, r, s, err)
		return
	}
	page := &mapPage{playBase: *b}
	if turn != latestTurn {
		page.Turn = q.Get("turn")
	}
	if b.Report != nil {
		d := &b.Report.Data
		selected := q.Get("planet")
		page.Planet = findPlanet(d, selected)
		if page.Planet == nil && selected != "" {
			page.Unknown, selected = selected, ""
		}
		page.Map = svg.Map(mapView(d, selected, func(planet string) string { return mapLink(gameID, page.Turn, planet) }))
		page.Legend = mapLegend(d)
	}
	status := http.StatusOK
	if b.Report == nil && turn != latestTurn {
		status = http.StatusNotFound // no report of that turn
	}
	u.render(w, r, status, "map", playView(s, "Map", "map", b, page))
}

// mapLink is the map page with planet chosen, scrolled to its panel.
func mapLink(gameID, turn, planet string) string {
	q := url.Values{}
	if turn != "" {
		q.Set("turn", turn)
	}
	q.Set("planet", planet)
	return "/games/" + url.PathEscape(gameID) + "/map?" + q.Encode() + "#planet-panel"
}
