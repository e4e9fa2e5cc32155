package web

import (
	"context"
	"net"
	"net/http"
)

// forwardClient passes the browser's address on to the backend, whose rate
// limits and geo lookup are per client IP, not per gateway.
func forwardClient(r *http.Request) func(context.Context, *http.Request) error {
	return func(_ context.Context, req *http.Request) error {
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			req.Header.Set("X-Forwarded-For", host)
		}
		return nil
	}
}
