package mail

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestBatcher(t *testing.T) {
	t.Parallel()

	t.Run("each caller gets its own result, and concurrent callers share statements", func(t *testing.T) {
		t.Parallel()
		var runs, largest atomic.Int64
		b := newBatcher(func(in []int) []result[int] {
			runs.Add(1)
			if n := int64(len(in)); n > largest.Load() {
				largest.Store(n)
			}
			time.Sleep(2 * time.Millisecond) // a statement takes a while
			out := make([]result[int], len(in))
			for i, v := range in {
				out[i].out = v * 2
			}
			return out
		})
		const callers, calls = 50, 40
		var wg sync.WaitGroup
		for c := range callers {
			wg.Go(func() {
				for i := range calls {
					v := c*1000 + i
					got, err := b.do(v)
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
		b := newBatcher(func(in []int) []result[int] {
			out := make([]result[int], len(in))
			for i, v := range in {
				if v < 0 {
					out[i].err = errFinal
				}
			}
			return out
		})
		if _, err := b.do(1); err != nil {
			t.Fatal(err)
		}
		if _, err := b.do(-1); !errors.Is(err, errFinal) {
			t.Fatalf("err %v", err)
		}
	})
}
