package groupcommit

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// maxBatch is the batch size the tests use.
const maxBatch = 100

var errFinal = errors.New("final")

func TestBatcher(t *testing.T) {
	t.Parallel()

	t.Run("each caller gets its own result, and concurrent callers share statements", func(t *testing.T) {
		t.Parallel()
		var runs, largest atomic.Int64
		b := New(maxBatch, func(in []int) []Result[int] {
			runs.Add(1)
			if n := int64(len(in)); n > largest.Load() {
				largest.Store(n)
			}
			time.Sleep(2 * time.Millisecond) // a statement takes a while
			out := make([]Result[int], len(in))
			for i, v := range in {
				out[i].Out = v * 2
			}
			return out
		})
		const callers, calls = 50, 40
		var wg sync.WaitGroup
		for c := range callers {
			wg.Go(func() {
				for i := range calls {
					v := c*1000 + i
					got, err := b.Do(v)
					if err != nil || got != 2*v {
						t.Errorf("do(%d) = %d, %v", v, got, err)
						return
					}
				}
			})
		}
		wg.Wait()
		if n := runs.Load(); n >= callers*calls {
			t.Errorf("%d statements for %d calls: nothing was batched", n, callers*calls)
		}
		if n := largest.Load(); n > maxBatch {
			t.Errorf("a batch of %d, more than %d", n, maxBatch)
		}
	})

	t.Run("a lone caller runs at once, and errors reach their callers", func(t *testing.T) {
		t.Parallel()
		b := New(maxBatch, func(in []int) []Result[int] {
			out := make([]Result[int], len(in))
			for i, v := range in {
				if v < 0 {
					out[i].Err = errFinal
				}
			}
			return out
		})
		if _, err := b.Do(1); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Do(-1); !errors.Is(err, errFinal) {
			t.Fatalf("err %v", err)
		}
	})
}
