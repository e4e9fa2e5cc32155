package main

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// summary is what one run measured.
type summary struct {
	opts    options
	target  string
	elapsed time.Duration
	routes  map[string]*routeStats
	// unexpected counts unexpected answers and other problems; samples
	// quotes the first of them.
	unexpected int
	samples    []string
	signIns    []time.Duration

	games        int
	gamesRunning int
	// allRunningAfter is when the last game started running.
	allRunningAfter time.Duration
	turns, forced   int

	// mails is how many mails the SMTP sink took (-1 with -base).
	mails int
	logs  []logCount
	// problems are failures around the load itself (stopping the platform).
	problems []string
	// keptDir is the platform's directory, left behind after a failure.
	keptDir string
}

// summarise gathers the figures once every player has stopped; it asks
// the admin API for each game's turn, which counts forced, early and
// scheduled turns alike.
func (r *loadRun) summarise(ctx context.Context, admin *apiclient.ClientWithResponses, elapsed time.Duration) *summary {
	s := &summary{opts: r.opts, target: r.tgt.describe(), elapsed: elapsed, games: len(r.games), mails: -1}
	for _, g := range r.games {
		s.forced += g.forced
		if g.runningAfter == 0 {
			continue
		}
		s.gamesRunning++
		s.allRunningAfter = max(s.allRunningAfter, g.runningAfter)
		resp, err := admin.GetGameAdminWithResponse(ctx, g.id)
		if err == nil && resp.JSON200 != nil {
			s.turns += resp.JSON200.CurrentTurn
		}
	}
	if s.gamesRunning < s.games {
		r.rec.problem("%d of %d games never ran within the run", s.games-s.gamesRunning, s.games)
	} else if s.turns == 0 && (r.opts.TurnEvery > 0 || r.opts.Final > 0) {
		r.rec.problem("no turn ran during the run")
	}
	r.rec.mu.Lock()
	s.routes = maps.Clone(r.rec.stats)
	s.unexpected = r.rec.unexpected
	s.samples = append([]string(nil), r.rec.samples...)
	r.rec.mu.Unlock()
	r.mu.Lock()
	s.signIns = append([]time.Duration(nil), r.signIns...)
	r.mu.Unlock()
	if own := r.tgt.own; own != nil {
		s.mails = own.sink.Count()
		s.logs = own.logs.counts()
	}
	return s
}

// failed reports whether anything unexpected happened: an unexpected
// answer, a player that could not go on, no turns, or an error the
// platform logged.
func (s *summary) failed() bool {
	if s.unexpected > 0 || len(s.problems) > 0 {
		return true
	}
	for _, l := range s.logs {
		if l.Level == "ERROR" {
			return true
		}
	}
	return false
}

// requests is the total number of requests answered.
func (s *summary) requests() int {
	n := 0
	for _, st := range s.routes {
		n += len(st.latencies)
	}
	return n
}

// String describes the options of the run in one line.
func (o options) String() string {
	return fmt.Sprintf("%d players in %d games, %s, think %s, turns forced every %s, %.0f%% of orders final",
		o.Players, len(o.games()), o.Duration, o.Think, o.TurnEvery, o.Final*100)
}
