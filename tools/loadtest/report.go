package main

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// print writes the report: the run, its totals, then one line per route
// (most requested first) with its latencies and its non-2xx answers by
// status, unexpected ones marked with "!".
func (s *summary) print(w io.Writer) {
	fmt.Fprintf(w, "loadtest: %s\n", s.opts)
	fmt.Fprintf(w, "target:   %s\n\n", s.target)
	total := s.requests()
	fmt.Fprintf(w, "requests  %d in %s = %.0f req/s; unexpected: %d\n", total, s.elapsed.Round(100*time.Millisecond),
		float64(total)/s.elapsed.Seconds(), s.unexpected)
	if len(s.signIns) > 0 {
		sorted := slices.Clone(s.signIns)
		slices.Sort(sorted)
		fmt.Fprintf(w, "sign-in   %d players; code mail after p50 %s, p99 %s, max %s\n", len(sorted),
			ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(sorted[len(sorted)-1]))
	}
	fmt.Fprintf(w, "games     %d of %d running", s.gamesRunning, s.games)
	if s.gamesRunning > 0 {
		fmt.Fprintf(w, ", the last from %s into the run", s.allRunningAfter.Round(100*time.Millisecond))
	}
	fmt.Fprintf(w, "\nturns     %d run during the load (%d forced by the game masters, the others early, every player final, or on schedule)\n",
		s.turns, s.forced)
	if s.mails >= 0 {
		fmt.Fprintf(w, "mail      %d messages taken by the SMTP sink\n", s.mails)
	}
	for _, l := range s.logs {
		fmt.Fprintf(w, "platform  %s logged %d×: %s\n", strings.ToLower(l.Level), l.N, l.Msg)
	}
	if st := s.routes["POST /api/v1/public/auth/login-codes"]; st != nil && st.statuses[http.StatusTooManyRequests] > 0 {
		fmt.Fprintln(w, "note      the platform limited sign-ins per client address (429): let it trust 127.0.0.1 as a proxy\n"+
			"          (BACKEND_TRUSTED_PROXIES=127.0.0.1/32), so that each player's X-Forwarded-For counts")
	}
	fmt.Fprintln(w)
	s.printRoutes(w)
	if len(s.samples) > 0 || len(s.problems) > 0 {
		fmt.Fprintf(w, "\nunexpected (first %d of %d):\n", len(s.samples), s.unexpected)
		for _, line := range append(slices.Clone(s.samples), s.problems...) {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
	if s.keptDir != "" {
		fmt.Fprintf(w, "\nthe platform's log and data are kept in %s\n", s.keptDir)
	}
}

// printRoutes writes the table of routes.
func (s *summary) printRoutes(w io.Writer) {
	names := make([]string, 0, len(s.routes))
	width := len("route")
	for name := range s.routes {
		names = append(names, name)
		width = max(width, len(name))
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := len(s.routes[names[i]].latencies), len(s.routes[names[j]].latencies)
		if a != b {
			return a > b
		}
		return names[i] < names[j]
	})
	fmt.Fprintf(w, "%-*s %7s %9s %9s %9s  %s\n", width+3, "route", "count", "p50", "p99", "max", "non-2xx")
	for _, name := range names {
		st := s.routes[name]
		sorted := slices.Clone(st.latencies)
		slices.Sort(sorted)
		method, path, _ := strings.Cut(name, " ")
		fmt.Fprintf(w, "%-6s %-*s %7d %9s %9s %9s  %s\n", method, width-4, path, len(sorted),
			ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(sorted[len(sorted)-1]), st.errors())
	}
}

// errors lists the non-2xx answers of a route by status ("409×3"), with
// "!" after the count of those the caller did not expect; 0 stands for
// requests that got no answer.
func (st *routeStats) errors() string {
	var codes []int
	for code := range st.statuses {
		if code < 200 || code > 299 {
			codes = append(codes, code)
		}
	}
	if len(codes) == 0 {
		return "-"
	}
	slices.Sort(codes)
	parts := make([]string, 0, len(codes))
	for _, code := range codes {
		part := fmt.Sprintf("%d×%d", code, st.statuses[code])
		if n := st.unexpected[code]; n > 0 {
			part += fmt.Sprintf(" (%d!)", n)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, " ")
}

// percentile returns the nearest-rank q-th percentile of sorted latencies.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

// ms formats a latency in milliseconds, one decimal.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}
