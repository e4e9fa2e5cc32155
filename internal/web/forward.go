package web

import (
	"context"
	"net"
	"net/http"
)

// forwardClient passes the browser's address and User-Agent on to the
// backend: its rate limits and geo lookup are per client IP, not per
// gateway, and a player's session list should name their browser.
func forwardClient(r *http.Request) func(context.Context, *http.Request) error {
	return func(_ context.Context, req *http.Request) error {
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			req.Header.Set("X-Forwarded-For", host)
		}
		if ua := r.UserAgent(); ua != "" {
			req.Header.Set("User-Agent", ua)
		}
		return nil
	}
}
