package web

import (
	"math"
	"testing"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

func TestHistoryOfPicksThePlayersRace(t *testing.T) {
	at := time.Date(2026, 1, 2, 18, 0, 0, 0, time.UTC)
	prod := float32(1750.004)
	turns := []apiclient.TurnInfo{
		{Turn: 1, RanAt: at, Summary: apiclient.TurnSummary{Races: []apiclient.RaceSummary{
			{RaceId: "usr_b", Planets: 9, Population: 1, Industry: 1, Ships: 1},
			{RaceId: "usr_me", Planets: 3, Population: 1750, Industry: 1750.1, Ships: 102, Production: &prod, Rank: ptr(1)},
		}}},
		{Turn: 2, RanAt: at.Add(24 * time.Hour), Summary: apiclient.TurnSummary{Races: []apiclient.RaceSummary{
			{RaceId: "usr_b", Planets: 9},
		}}},
		{Turn: 3, RanAt: at.Add(48 * time.Hour), Summary: apiclient.TurnSummary{Races: []apiclient.RaceSummary{
			{RaceId: "usr_me", Planets: 4, Population: 2000, Industry: 1800, Ships: 300, Eliminated: false},
		}}},
	}
	chart, rows := historyOf(turns, "usr_me")
	if len(chart.Turns) != 3 || chart.Turns[0] != 1 || chart.Turns[2] != 3 {
		t.Fatalf("turns: %v", chart.Turns)
	}
	names := []string{"Planets", "Population", "Industry", "Ships"}
	if len(chart.Series) != len(names) {
		t.Fatalf("series: %+v", chart.Series)
	}
	for i, s := range chart.Series {
		if s.Name != names[i] || len(s.Values) != 3 {
			t.Fatalf("series %d: %+v", i, s)
		}
		if !math.IsNaN(s.Values[1]) {
			t.Errorf("%s of a turn without the race: %v, want a gap", s.Name, s.Values[1])
		}
	}
	if v := chart.Series[0].Values; v[0] != 3 || v[2] != 4 {
		t.Errorf("planets: %v", v)
	}
	if v := chart.Series[2].Values; v[0] != 1750.1 {
		t.Errorf("industry, rounded to hundredths: %v", v)
	}
	if v := chart.Series[3].Values; v[0] != 102 || v[2] != 300 {
		t.Errorf("ships: %v", v)
	}
	if len(rows) != 3 || !rows[0].Found || rows[1].Found || rows[0].Rank != 1 || rows[0].Production != 1750 || !rows[0].RanAt.Equal(at) {
		t.Errorf("rows: %+v", rows)
	}
}

func TestHistoryOfNoTurns(t *testing.T) {
	chart, rows := historyOf(nil, "usr_me")
	if len(chart.Turns) != 0 || len(rows) != 0 || len(chart.Series) != 4 {
		t.Errorf("%+v %+v", chart, rows)
	}
}
