// Package health tracks what the process needs before it may take traffic.
//
// Each prerequisite (migrations, a warm cache, a bound listener) registers a
// named condition that starts out not ready; the owner marks it ready when it
// is. /readyz answers 200 only when every registered condition is ready, and
// otherwise names the ones that are not.
package health

import (
	"sort"
	"sync"
)

// Readiness is a set of named conditions. It is safe for concurrent use.
type Readiness struct {
	mu     sync.RWMutex
	checks map[string]func() bool
}

// NewReadiness returns an empty set; with nothing registered it is ready.
func NewReadiness() *Readiness {
	return &Readiness{checks: map[string]func() bool{}}
}

// Flag is a condition whose owner flips it explicitly.
type Flag struct {
	mu    sync.RWMutex
	ready bool
}

// Set marks the condition ready or not.
func (f *Flag) Set(ready bool) {
	f.mu.Lock()
	f.ready = ready
	f.mu.Unlock()
}

// Ready reports the condition.
func (f *Flag) Ready() bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.ready
}

// Register adds a named condition evaluated on every readiness check, such as
// a cache's Ready method.
func (r *Readiness) Register(name string, ready func() bool) {
	r.mu.Lock()
	r.checks[name] = ready
	r.mu.Unlock()
}

// Flag registers and returns a condition that starts not ready.
func (r *Readiness) Flag(name string) *Flag {
	f := &Flag{}
	r.Register(name, f.Ready)
	return f
}

// NotReady returns the sorted names of the conditions that are not ready; an
// empty result means the process is ready.
func (r *Readiness) NotReady() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for name, ready := range r.checks {
		if !ready() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
