package svg

import (
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ChartView is a race's history, one value per turn for each series
// (planets, population, industry, ships…).
type ChartView struct {
	// Turns are the turn numbers, in order; Values[i] of every series
	// belongs to Turns[i].
	Turns  []int
	Series []Series
	// Label is the accessible name of the chart; a default listing the
	// series is used when empty.
	Label string
}

// Series is one line of the chart. A value that is NaN or infinite is a gap;
// values past the end of Turns are ignored.
type Series struct {
	Name   string
	Values []float64
}

// ChartSeriesColours is the number of series-N classes ChartCSS styles; the
// colours repeat after that.
const ChartSeriesColours = 6

// The chart's fixed frame, in its own units (the page scales it with CSS).
const (
	chartW, chartH = 640.0, 260.0
	plotL, plotR   = 44.0, 628.0 // plot area, left and right
	plotT, plotB   = 40.0, 232.0 // top and bottom
)

// Chart draws the series as lines over the turns. The series have different
// units and magnitudes (a dozen planets, thousands of population), so each
// is scaled to its own maximum: the chart shows how each grew, the tooltips
// on the points and the legend (latest values) give the real numbers. It
// copes with no turns (a note instead of lines) and a single turn (points,
// centred).
func Chart(c ChartView) template.HTML {
	n := len(c.Turns)
	label := c.Label
	if label == "" {
		label = defaultChartLabel(&c)
	}
	w := newWriter(2048 + n*len(c.Series)*110)
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="turn-chart" viewBox="0 0 `)
	w.f(chartW)
	w.raw(" ")
	w.f(chartH)
	w.raw(`" preserveAspectRatio="xMidYMid meet" role="img"`)
	w.attr("aria-label", label)
	w.raw("><title>")
	w.text(label)
	w.raw("</title>")
	w.raw(`<rect class="chart-bg" x="0" y="0"`)
	w.fattr("width", chartW)
	w.fattr("height", chartH)
	w.raw("/>")
	if n == 0 || len(c.Series) == 0 {
		w.raw(`<text class="chart-empty" text-anchor="middle"`)
		w.fattr("x", chartW/2)
		w.fattr("y", chartH/2)
		w.raw(">No turns yet</text></svg>")
		return w.html()
	}

	lo, hi := slices.Min(c.Turns), slices.Max(c.Turns)
	xOf := func(t int) float64 {
		if hi == lo {
			return (plotL + plotR) / 2 // one turn: in the middle
		}
		return plotL + float64(t-lo)/float64(hi-lo)*(plotR-plotL)
	}
	writeChartAxes(w, lo, hi, xOf)
	writeLegend(w, c.Series, n)
	for i := range c.Series {
		writeSeries(w, &c.Series[i], i, c.Turns, xOf)
	}
	w.raw("</svg>")
	return w.html()
}

func defaultChartLabel(c *ChartView) string {
	names := make([]string, 0, len(c.Series))
	for _, s := range c.Series {
		names = append(names, s.Name)
	}
	s := "Chart of " + strings.Join(names, ", ") + " per turn"
	if len(c.Turns) > 0 {
		s += ", turns " + strconv.Itoa(slices.Min(c.Turns)) + " to " + strconv.Itoa(slices.Max(c.Turns))
	}
	return s + "; each series scaled to its own maximum"
}

// writeChartAxes draws the horizontal guides at 0, 50 and 100 % of each
// series' maximum and the turn numbers below, about eight of them at a
// round step whatever the length of the game.
func writeChartAxes(w *writer, lo, hi int, xOf func(int) float64) {
	w.raw(`<g class="chart-axes"><path class="chart-grid" d="`)
	for _, f := range [...]float64{0, 0.5, 1} {
		w.raw("M")
		w.f(plotL)
		w.raw(" ")
		w.f(plotB - f*(plotB-plotT))
		w.raw("H")
		w.f(plotR)
	}
	w.raw(`"/>`)
	for _, f := range [...]float64{0, 0.5, 1} {
		w.raw(`<text class="chart-y" text-anchor="end"`)
		w.fattr("x", plotL-4)
		w.fattr("y", plotB-f*(plotB-plotT)+4)
		w.raw(">")
		w.raw(strconv.Itoa(int(f*100)) + "%")
		w.raw("</text>")
	}
	step := max(1, int(niceStep(float64(hi-lo)/8)))
	first := lo
	if r := lo % step; r != 0 {
		first = lo + step - r
		if lo < 0 {
			first = lo - r
		}
	}
	// The count bound guards against overflow with absurd turn numbers.
	for t, k := first, 0; t <= hi && k < 20; t, k = t+step, k+1 {
		w.raw(`<text class="chart-x" text-anchor="middle"`)
		w.fattr("x", xOf(t))
		w.fattr("y", plotB+16)
		w.raw(">")
		w.i(t)
		w.raw("</text>")
	}
	w.raw(`<text class="chart-x-title" text-anchor="end"`)
	w.fattr("x", plotR)
	w.fattr("y", chartH-4)
	w.raw(">turn</text></g>")
}

// writeLegend names each series with its latest value, across the top.
func writeLegend(w *writer, series []Series, n int) {
	w.raw(`<g class="chart-legend">`)
	slot := (plotR - plotL) / float64(len(series))
	for i := range series {
		s := &series[i]
		x := plotL + float64(i)*slot
		w.raw(`<g class="series-`)
		w.i(i % ChartSeriesColours)
		w.raw(`"`)
		w.attr("data-series", s.Name)
		w.raw(`><rect class="swatch"`)
		w.fattr("x", x)
		w.fattr("y", 12)
		w.raw(` width="12" height="12"/><text`)
		w.fattr("x", x+16)
		w.fattr("y", 22)
		w.raw(">")
		w.text(s.Name)
		if v, ok := latest(s.Values, n); ok {
			// Whole numbers from 100 up: four legends must share one line,
			// and the tooltips keep the hundredths.
			if math.Abs(v) >= 100 {
				v = math.Round(v)
			}
			w.raw(": ")
			w.f(v)
		}
		w.raw("</text></g>")
	}
	w.raw("</g>")
}

// latest is the last usable value among the first n.
func latest(vs []float64, n int) (float64, bool) {
	for i := min(n, len(vs)) - 1; i >= 0; i-- {
		if isFinite(vs[i]) {
			return vs[i], true
		}
	}
	return 0, false
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// seriesRange is what a series is scaled to: from 0 (or its minimum when
// negative) to its maximum. A flat series gets a span of 1, never 0, so no
// division by zero: all zeros lie on the baseline.
func seriesRange(vs []float64) (lo, span float64) {
	hi := math.Inf(-1)
	for _, v := range vs {
		if isFinite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if !(hi > lo) {
		return lo, 1
	}
	return lo, hi - lo
}

// writeSeries draws one series as a line with a point per turn; the point's
// tooltip has the real value. Gaps (non-finite values) break the line.
func writeSeries(w *writer, s *Series, i int, turns []int, xOf func(int) float64) {
	vs := s.Values[:min(len(s.Values), len(turns))]
	lo, span := seriesRange(vs)
	yOf := func(v float64) float64 { return plotB - (v-lo)/span*(plotB-plotT) }

	w.raw(`<g class="series series-`)
	w.i(i % ChartSeriesColours)
	w.raw(`"`)
	w.attr("data-series", s.Name)
	w.raw(`><path class="line" d="`)
	pen := false
	for j, v := range vs {
		if !isFinite(v) {
			pen = false
			continue
		}
		if pen {
			w.raw("L")
		} else {
			w.raw("M")
		}
		pen = true
		w.f(xOf(turns[j]))
		w.raw(" ")
		w.f(yOf(v))
	}
	w.raw(`"/>`)
	for j, v := range vs {
		if !isFinite(v) {
			continue
		}
		w.raw(`<circle class="point" r="3"`)
		w.fattr("cx", xOf(turns[j]))
		w.fattr("cy", yOf(v))
		w.raw("><title>Turn ")
		w.i(turns[j])
		w.raw(" — ")
		w.text(s.Name)
		w.raw(": ")
		w.f(v)
		w.raw("</title></circle>")
	}
	w.raw("</g>")
}
