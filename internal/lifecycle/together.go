package lifecycle

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// StartTogether starts independent components up to parallel at a time, in
// the order given (each next one as soon as one finishes), and records them
// in that order, as if Start had been called for each in turn: they are
// logged in that order, each with its own start time, and Stop stops them
// in reverse. It is for components whose starts wait on I/O and need
// nothing of each other (caches warming from the database), so that a slow
// one does not hold up the others. If any fails, those that started are
// still recorded (Stop will stop them) and the first failure in the given
// order is returned.
func (g *Group) StartTogether(ctx context.Context, cs []Component, parallel int, stopTimeout time.Duration) error {
	type outcome struct {
		err  error
		took time.Duration
	}
	out := make([]outcome, len(cs))
	slots := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	for i, c := range cs {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			begin := time.Now()
			out[i].err = c.Start(ctx)
			out[i].took = time.Since(begin)
		})
	}
	wg.Wait()
	var first error
	for i, c := range cs {
		if err := out[i].err; err != nil {
			g.logger.Error("component failed to start", "component", c.Name(), "error", err)
			if first == nil {
				first = fmt.Errorf("start %s: %w", c.Name(), err)
			}
			continue
		}
		g.started = append(g.started, started{c: c, stopTimeout: stopTimeout})
		g.logger.Info("component started", "component", c.Name(), "duration", out[i].took.String())
	}
	return first
}
