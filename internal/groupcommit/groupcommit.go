// Package groupcommit runs the database steps of concurrent callers
// together (group commit): a caller that finds no batch of its kind running
// runs one for itself; the callers that arrive meanwhile wait and go
// together in the next batch, run by the first of them. An idle process
// therefore adds no delay, and a busy one sends one statement or
// transaction for many callers instead of one each: fewer round trips,
// fewer transactions, and fewer backends contending for the same index
// pages.
package groupcommit

import "sync"

// Result is one caller's answer from a batch.
type Result[Out any] struct {
	Out Out
	Err error
}

// Batcher groups concurrent calls into batches of at most max inputs.
//
// Its run function gets the inputs of one batch and returns one result per
// input, in the same order. A statement that fails as a whole is not to be
// charged to every caller in it: run is expected to retry the inputs one
// by one then.
type Batcher[In, Out any] struct {
	run func(in []In) []Result[Out]
	max int

	mu      sync.Mutex
	queue   []*call[In, Out]
	running bool
}

type call[In, Out any] struct {
	in  In
	res Result[Out]
	// wake receives true when res is set, false when this call is to run
	// the next batch.
	wake chan bool
}

// New returns a Batcher that hands run batches of at most max inputs.
func New[In, Out any](max int, run func(in []In) []Result[Out]) *Batcher[In, Out] {
	return &Batcher[In, Out]{run: run, max: max}
}

// Do runs in, alone or with the inputs of other callers, and returns its
// result. It waits for the batch that carries in, whatever the caller's
// context: run bounds that batch itself.
func (b *Batcher[In, Out]) Do(in In) (Out, error) {
	c := &call[In, Out]{in: in, wake: make(chan bool, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, c)
	lead := !b.running
	b.running = true
	b.mu.Unlock()
	if lead || !<-c.wake {
		b.lead()
	}
	return c.res.Out, c.res.Err
}

// lead runs the waiting calls (the leader's own among them: it is first in
// the queue), then hands the lead to the first call that arrived meanwhile,
// so that no caller runs batches for others for longer than one batch.
func (b *Batcher[In, Out]) lead() {
	b.mu.Lock()
	n := min(len(b.queue), b.max)
	calls := b.queue[:n:n]
	b.queue = b.queue[n:]
	b.mu.Unlock()

	in := make([]In, len(calls))
	for i, c := range calls {
		in[i] = c.in
	}
	res := b.run(in)
	for i, c := range calls {
		c.res = res[i]
	}

	b.mu.Lock()
	var next *call[In, Out]
	if len(b.queue) > 0 {
		next = b.queue[0]
	} else {
		b.running = false
		b.queue = nil
	}
	b.mu.Unlock()
	// calls[0] is the leader itself, which does not wait on wake.
	for _, c := range calls[1:] {
		c.wake <- true
	}
	if next != nil {
		next.wake <- false
	}
}
