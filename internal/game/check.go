package game

// checkOrders runs race ri's orders on a copy of the state in forecast mode
// and returns the mistakes and the forecast.
func checkOrders(st *state, ri int, text string) CheckResult {
	res := CheckResult{Errors: []Mistake{}}
	r := st.Races[ri]
	switch {
	case st.Finished:
		res.Errors = append(res.Errors, Mistake{Line: 1, Message: "the game is over; orders are no longer read"})
		return res
	case !r.active():
		res.Errors = append(res.Errors, Mistake{Line: 1, Message: "your race is no longer in the game"})
		return res
	}
	c := st.clone()
	runTurn(c, map[int]string{ri: text}, ri)
	res.Errors = append(res.Errors, c.Races[ri].Events.Mistakes...)
	res.Accepted = len(res.Errors) == 0
	v := &view{st: c, totals: c.totals()}
	d := &ReportData{Race: r.Name, RaceID: r.ID, Turn: c.Turn, Tech: techOf(c.Races[ri].Tech)}
	d.ShipTypes = shipTypeInfos(c.Races[ri])
	v.present = make([][]int, len(c.Planets))
	v.at = make([][]placed, len(c.Planets))
	v.incoming = make([][]*group, len(c.Races))
	v.planets(d, ri)
	v.groups(d, ri)
	res.Forecast = renderForecast(d, c.Races[ri].Options)
	return res
}
