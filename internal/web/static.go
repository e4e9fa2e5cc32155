package web

import (
	"io/fs"
	"net/http"
)

// staticHandler serves static/ with a short cache: assets are small and
// change with every release, and there is no build step to fingerprint them.
func staticHandler() http.Handler {
	sub, err := fs.Sub(assets, "static")
	if err != nil {
		panic(err) // static/ is embedded at build time
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		files.ServeHTTP(w, r)
	})
}
