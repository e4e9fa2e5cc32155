package svg

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func series(turns int) ChartView {
	c := ChartView{Series: []Series{{Name: "Planets"}, {Name: "Population"}, {Name: "Industry"}, {Name: "Ships"}}}
	for t := 1; t <= turns; t++ {
		c.Turns = append(c.Turns, t)
		c.Series[0].Values = append(c.Series[0].Values, float64(3+t/2))
		c.Series[1].Values = append(c.Series[1].Values, 2000*math.Pow(1.08, float64(t)))
		c.Series[2].Values = append(c.Series[2].Values, 1500+float64(t)*40)
		c.Series[3].Values = append(c.Series[3].Values, 0) // never built any
	}
	return c
}

func checkChart(t *testing.T, c ChartView) *node {
	t.Helper()
	out := string(Chart(c))
	for _, bad := range []string{"NaN", "Inf"} {
		if strings.Contains(out, bad) {
			t.Errorf("%s in output: %s", bad, out)
		}
	}
	root := parse(t, out)
	if root.attrs["role"] != "img" || root.attrs["aria-label"] == "" || root.child("title") == nil {
		t.Errorf("chart not labelled: %v", root.attrs)
	}
	return root
}

func TestChartNoTurns(t *testing.T) {
	for _, c := range []ChartView{{}, {Series: series(0).Series}, {Turns: []int{1, 2}}} {
		root := checkChart(t, c)
		if len(byClass(root, "chart-empty")) != 1 || len(byClass(root, "point")) != 0 {
			t.Errorf("empty chart should say so and draw no points")
		}
	}
}

func TestChartOneTurn(t *testing.T) {
	root := checkChart(t, series(1))
	points := byClass(root, "point")
	if len(points) != 4 {
		t.Fatalf("%d points, want one per series", len(points))
	}
	for _, p := range points {
		if x, _ := strconv.ParseFloat(p.attrs["cx"], 64); x != (plotL+plotR)/2 {
			t.Errorf("single turn not centred: cx=%v", x)
		}
	}
}

func TestChartManyTurnsNormalised(t *testing.T) {
	c := series(40)
	root := checkChart(t, c)
	groups := byClass(root, "series")
	if len(groups) != len(c.Series) {
		t.Fatalf("%d series drawn", len(groups))
	}
	for i, g := range groups {
		ys := []float64{}
		for _, p := range byClass(g, "point") {
			y, err := strconv.ParseFloat(p.attrs["cy"], 64)
			if err != nil {
				t.Fatal(err)
			}
			if y < plotT-0.01 || y > plotB+0.01 {
				t.Errorf("%s: point at y=%v outside the plot", c.Series[i].Name, y)
			}
			ys = append(ys, y)
		}
		if len(ys) != 40 {
			t.Fatalf("%s: %d points", c.Series[i].Name, len(ys))
		}
		top := ys[0]
		for _, y := range ys {
			top = math.Min(top, y)
		}
		switch c.Series[i].Name {
		case "Ships": // all zero: flat on the baseline, no division by zero
			if top != plotB {
				t.Errorf("zero series at y=%v, want baseline %v", top, plotB)
			}
		default: // each series reaches the top at its own maximum
			if math.Abs(top-plotT) > 0.01 {
				t.Errorf("%s: maximum drawn at y=%v, want %v", c.Series[i].Name, top, plotT)
			}
		}
	}
	// Tooltips carry real values, the legend the latest ones.
	last := byClass(groups[1], "point")[39].child("title").text
	if want := "Turn 40 — Population: " + num(c.Series[1].Values[39]); last != want {
		t.Errorf("tooltip %q, want %q", last, want)
	}
	legend := byClass(root, "chart-legend")[0].all(func(n *node) bool { return n.name == "text" })
	if len(legend) != 4 || legend[0].text != "Planets: 23" {
		t.Errorf("legend: %+v", legend)
	}
	if len(byClass(root, "chart-x")) < 4 || len(byClass(root, "chart-x")) > 12 {
		t.Errorf("%d turn labels", len(byClass(root, "chart-x")))
	}
}

func TestChartGapsAndHostileNames(t *testing.T) {
	c := ChartView{
		Turns: []int{5, 6, 7, 8},
		Series: []Series{
			{Name: hostile, Values: []float64{1, math.NaN(), math.Inf(1), 4}},
			{Name: "Short", Values: []float64{2}},
			{Name: "Negative", Values: []float64{-3, -1, 0, 2, 99}}, // one value too many
		},
	}
	root := checkChart(t, c)
	g := byClass(root, "series")
	if len(byClass(g[0], "point")) != 2 || strings.Count(g[0].child("path").attrs["d"], "M") != 2 {
		t.Errorf("gaps should break the line: %v", g[0].child("path").attrs["d"])
	}
	if g[0].attrs["data-series"] != hostile {
		t.Errorf("series name did not round-trip: %q", g[0].attrs["data-series"])
	}
	if len(byClass(g[2], "point")) != 4 {
		t.Error("values beyond the turns should be ignored")
	}
}
