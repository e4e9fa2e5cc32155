package web

import (
	"net/http"

	"github.com/galaxy-platform/galaxy/internal/web/svg"
)

// SVGStyles serves the stylesheet of the map and the chart (svg.CSS) as
// /static/svg.css: the pictures carry only class names, and the
// Content-Security-Policy allows no inline styles.
func (u *UI) SVGStyles(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write([]byte(svg.CSS))
}
