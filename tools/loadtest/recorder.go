package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// maxSamples bounds how many unexpected answers are kept word for word.
const maxSamples = 10

// recorder is the HTTP client of every simulated player: it sends the
// request, reads the whole answer (so latency includes the body, as a
// browser would wait for it) and files the time and status under the
// request's route. It implements apiclient.HttpRequestDoer.
type recorder struct {
	client *http.Client
	routes *routeTable

	mu         sync.Mutex
	stats      map[string]*routeStats
	unexpected int
	samples    []string
}

// routeStats are the figures of one route.
type routeStats struct {
	latencies []time.Duration
	// statuses counts answers by HTTP status; 0 counts transport errors.
	statuses map[int]int
	// unexpected counts, by status, the answers the caller did not expect.
	unexpected map[int]int
}

// newRecorder returns a recorder sending through client.
func newRecorder(client *http.Client, routes *routeTable) *recorder {
	return &recorder{client: client, routes: routes, stats: map[string]*routeStats{}}
}

// Do implements apiclient.HttpRequestDoer.
func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	route := r.routes.name(req)
	begin := time.Now()
	resp, err := r.client.Do(req) //nolint:gosec // G704: the URL is the platform under test, given by the operator
	var body []byte
	if err == nil {
		body, err = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	elapsed := time.Since(begin)
	if req.Context().Err() != nil {
		// The run was interrupted (Ctrl-C) while the request was out: the
		// platform is not to blame for an answer nobody waited for.
		return resp, err
	}
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	r.add(route, elapsed, status, expected(req.Context(), status), func() string {
		if err != nil {
			return err.Error()
		}
		return strings.TrimSpace(string(body[:min(len(body), 300)]))
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errCounted, err)
	}
	return resp, nil
}

// add files one answer; detail is called only for a kept sample.
func (r *recorder) add(route string, elapsed time.Duration, status int, ok bool, detail func() string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats[route]
	if s == nil {
		s = &routeStats{statuses: map[int]int{}, unexpected: map[int]int{}}
		r.stats[route] = s
	}
	s.latencies = append(s.latencies, elapsed)
	s.statuses[status]++
	if ok {
		return
	}
	s.unexpected[status]++
	r.unexpected++
	if len(r.samples) < maxSamples {
		r.samples = append(r.samples, fmt.Sprintf("%s -> %d: %s", route, status, detail()))
	}
}

// problem records a failure that is no single HTTP answer (a sign-in mail
// that never came, orders the engine refused, a game that never started).
func (r *recorder) problem(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.unexpected++
	if len(r.samples) < maxSamples {
		r.samples = append(r.samples, fmt.Sprintf(format, args...))
	}
}

// expectKey carries, in a request's context, the statuses besides 2xx
// that the caller expects.
type expectKey struct{}

// expect marks the requests made with ctx as expecting these statuses as
// well as any 2xx: a 409 for orders that arrive while the turn runs is
// part of the game, a 500 never is.
func expect(ctx context.Context, statuses ...int) context.Context {
	return context.WithValue(ctx, expectKey{}, statuses)
}

// expected reports whether status is a normal answer for the request.
func expected(ctx context.Context, status int) bool {
	if status >= 200 && status < 300 {
		return true
	}
	allowed, _ := ctx.Value(expectKey{}).([]int)
	return slices.Contains(allowed, status)
}

// errCounted marks a failure already counted (by the recorder, or as a
// problem): an answer the flow cannot go on from, or a request that got
// no answer. Whoever meets it needs to count nothing more.
var errCounted = errors.New("counted failure")
