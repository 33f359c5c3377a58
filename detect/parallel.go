package detect

import (
	"fmt"
	"runtime"
	"sync"
)

// minRowsPerWorker keeps small grids on one goroutine: starting one costs
// about what a few short rows do.
const minRowsPerWorker = 16

// inRows runs fn over the rows [0, n) cut into contiguous ranges, one per
// worker (up to GOMAXPROCS, at most 8), and waits for all. fn must write
// only what belongs to its own rows, so the result is the same however the
// rows are cut (every stage run this way computes each row from its inputs
// alone). A panic in a worker is raised again in the caller's goroutine,
// where Analyze recovers it as it would on one goroutine.
func inRows(n int, fn func(lo, hi int)) { inChunks(n, minRowsPerWorker, fn) }

// inBlocks is inRows for rows of background blocks, each many cells' work:
// a worker takes as few as one.
func inBlocks(n int, fn func(lo, hi int)) { inChunks(n, 1, fn) }

// inChunks is inRows with at least minPer rows a worker.
func inChunks(n, minPer int, fn func(lo, hi int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), 8, n/minPer))
	if workers == 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failure any
	for k := 1; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					failure = r
					mu.Unlock()
				}
			}()
			fn(k*n/workers, (k+1)*n/workers)
		}()
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				mu.Lock()
				failure = r
				mu.Unlock()
			}
		}()
		fn(0, n/workers)
	}()
	wg.Wait()
	if failure != nil {
		panic(fmt.Sprintf("in a worker: %v", failure))
	}
}
