package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/galaxy-platform/galaxy/api"
	"github.com/galaxy-platform/galaxy/internal/apiclient"
)

// loadRun is what the players and game masters of one run share.
type loadRun struct {
	opts  options
	id    string
	rec   *recorder
	tgt   *target
	games []*gameSlot
	// until ends at the run's deadline: players start nothing new after
	// it, but requests already sent finish (their context is the
	// process's), so that no request is cut short by the clock.
	until context.Context

	mu      sync.Mutex
	signIns []time.Duration // from asking for a code to reading it
}

// gameSlot is one game of the run, created by its first player.
type gameSlot struct {
	k, size int
	created chan struct{} // closed once id is set
	id      string
	// runningAfter is when, from the run's start, the game master first
	// saw the game running (0 if never).
	runningAfter time.Duration
	forced       int
}

// load runs the whole load against the target the options name and
// returns its figures. It fails only when the run could not take place;
// what went wrong during it is in the summary.
func load(ctx context.Context, o options, stderr io.Writer) (*summary, error) {
	routes, err := newRouteTable(api.OpenAPI)
	if err != nil {
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// One idle connection per player, as browsers keep theirs open.
	transport.MaxIdleConns = o.Players + 16
	transport.MaxIdleConnsPerHost = o.Players + 16
	rec := newRecorder(&http.Client{Transport: transport, Timeout: time.Minute}, routes)
	tgt, err := openTarget(ctx, o, rec, stderr)
	if err != nil {
		return nil, err
	}

	r := &loadRun{opts: o, id: newRunID(), rec: rec, tgt: tgt}
	for k, size := range o.games() {
		r.games = append(r.games, &gameSlot{k: k, size: size, created: make(chan struct{})})
	}
	admin, err := r.adminClient(ctx)
	if err != nil {
		return nil, closeAfter(ctx, tgt, err)
	}

	start := time.Now()
	until, cancel := context.WithDeadline(ctx, start.Add(o.Duration))
	defer cancel()
	r.until = until
	var wg sync.WaitGroup
	i := 0
	for _, g := range r.games {
		wg.Go(func() { r.master(ctx, admin, g, start) })
		for seat := range g.size {
			p := newPlayer(r, i, g, seat == 0)
			wg.Go(func() { p.run(ctx) })
			i++
		}
	}
	wg.Wait()
	elapsed := time.Since(start)

	// The figures are gathered even after Ctrl-C: a cut-short run still
	// has something to say.
	s := r.summarise(context.WithoutCancel(ctx), admin, elapsed)
	failed := s.failed()
	if err := tgt.close(context.WithoutCancel(ctx), failed); err != nil {
		s.problems = append(s.problems, fmt.Sprintf("stopping the platform: %v", err))
	}
	if failed && tgt.own != nil {
		s.keptDir = tgt.own.dir
	}
	return s, nil
}

// adminClient signs the run's admin in.
func (r *loadRun) adminClient(ctx context.Context) (*apiclient.ClientWithResponses, error) {
	anon, err := apiclient.NewClientWithResponses(r.tgt.base, apiclient.WithHTTPClient(r.rec))
	if err != nil {
		return nil, err
	}
	resp, err := anon.CreateAdminSessionWithResponse(ctx, apiclient.CreateAdminSessionJSONRequestBody{
		Username: r.tgt.adminUser, Password: r.tgt.adminPassword,
	})
	if err != nil {
		return nil, fmt.Errorf("admin sign-in: %w", err)
	}
	if resp.JSON201 == nil {
		return nil, fmt.Errorf("admin sign-in as %q: %s", r.tgt.adminUser, resp.Status())
	}
	return apiclient.NewClientWithResponses(r.tgt.base, apiclient.WithHTTPClient(r.rec),
		apiclient.WithRequestEditorFn(bearer(resp.JSON201.Token)))
}

// signedIn records how long a player waited for its sign-in code.
func (r *loadRun) signedIn(wait time.Duration) {
	r.mu.Lock()
	r.signIns = append(r.signIns, wait)
	r.mu.Unlock()
}

// closeAfter stops the target after a failed set-up.
func closeAfter(ctx context.Context, tgt *target, err error) error {
	return errors.Join(err, tgt.close(context.WithoutCancel(ctx), false))
}
