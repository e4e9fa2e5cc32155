package mail

import "sync"

// maxBatch bounds the deliveries one batched statement carries.
const maxBatch = 100

// batcher runs the database steps of concurrent attempts together (group
// commit): an attempt that finds no statement of its kind running runs one
// for itself; the attempts that arrive meanwhile wait and go together in
// the next statement, run by the first of them. An idle process therefore
// adds no delay, and a busy one sends one statement for many deliveries
// instead of one each: fewer round trips, fewer transactions, and fewer
// backends contending for the same index pages.
//
// run gets the inputs of one batch and returns one result per input, in
// the same order. A statement that fails as a whole is not to be charged to
// every attempt in it: run is expected to retry the inputs one by one then
// (see Service.claimBatch and Service.recordSentBatch).
type batcher[In, Out any] struct {
	run func(in []In) []result[Out]

	mu      sync.Mutex
	queue   []*batchCall[In, Out]
	running bool
}

type result[Out any] struct {
	out Out
	err error
}

type batchCall[In, Out any] struct {
	in  In
	res result[Out]
	// wake receives true when res is set, false when this call is to run
	// the next batch.
	wake chan bool
}

func newBatcher[In, Out any](run func(in []In) []result[Out]) *batcher[In, Out] {
	return &batcher[In, Out]{run: run}
}

// do runs in, alone or with the inputs of other attempts, and returns its
// result. It waits for the statement that carries in, whatever the
// caller's context: run bounds that statement itself.
func (b *batcher[In, Out]) do(in In) (Out, error) {
	c := &batchCall[In, Out]{in: in, wake: make(chan bool, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, c)
	lead := !b.running
	b.running = true
	b.mu.Unlock()
	if lead || !<-c.wake {
		b.lead()
	}
	return c.res.out, c.res.err
}

// lead runs the waiting calls (the leader's own among them: it is first in
// the queue), then hands the lead to the first call that arrived meanwhile,
// so that no attempt runs batches for others for longer than one statement.
func (b *batcher[In, Out]) lead() {
	b.mu.Lock()
	n := min(len(b.queue), maxBatch)
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
	var next *batchCall[In, Out]
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
