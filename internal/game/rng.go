package game

import (
	"math"
	"math/rand/v2"
)

// rng is the single source of randomness of one turn. It derives every value
// from PCG's raw 64-bit output with its own arithmetic, so results depend only
// on the PCG algorithm (fixed by its definition) and not on how a Go release
// implements Float64 or IntN.
type rng struct {
	src *rand.PCG
}

// newRNG seeds a generator from the game seed and the turn being run. The
// turn is mixed with an odd constant so that neighbouring turns of
// neighbouring seeds do not share streams.
func newRNG(seed int64, turn int) *rng {
	return &rng{src: rand.NewPCG(uint64(seed), uint64(turn)*0x9e3779b97f4a7c15^0x5851f42d4c957f2d)}
}

// float returns a uniform value in [0, 1).
func (r *rng) float() float64 {
	return float64(r.src.Uint64()>>11) * (1.0 / (1 << 53))
}

// symmetric returns a uniform value in (-1, 1): the U of the rules.
func (r *rng) symmetric() float64 {
	for {
		u := 2*r.float() - 1
		if u != -1 {
			return u
		}
	}
}

// intn returns a uniform integer in [0, n); n must be positive. Rejection
// sampling keeps it unbiased.
func (r *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	un := uint64(n)
	limit := math.MaxUint64 - math.MaxUint64%un
	for {
		v := r.src.Uint64()
		if v < limit {
			return int(v % un)
		}
	}
}

// shuffle permutes n elements with Fisher-Yates through swap.
func (r *rng) shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i > 0; i-- {
		j := r.intn(i + 1)
		swap(i, j)
	}
}

// between returns a uniform value in [lo, hi).
func (r *rng) between(lo, hi float64) float64 {
	return lo + (hi-lo)*r.float()
}
