package simplego

// trapnet fork: node scheduling for "parallelism=-1".

import "runtime"

// dispatchBounded runs the nodes that become ready on the ready channel, at
// most GOMAXPROCS at a time, newest first, until the channel is closed.
//
// Upstream starts a goroutine for every ready node at once when parallelism
// is unlimited: in a wide graph (a DARTS supernet has every candidate op of
// every edge ready together) all of their outputs are allocated before any
// consumer frees its inputs. Bounding the running nodes to the cores keeps
// the cores busy, and taking the newest ready node (depth first) lets
// consumers finish and release buffers early: the search step's peak memory
// drops towards that of sequential execution. Nested parallel work inside a
// node (the blocked DotGeneral) still uses the workers pool, which stays
// unlimited, so it cannot deadlock on the node slots.
func dispatchBounded(ready chan int, run func(nodeIdx int)) {
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	var pending []int
	for ready != nil || len(pending) > 0 {
		if len(pending) == 0 {
			idx, ok := <-ready
			if !ok {
				return
			}
			pending = append(pending, idx)
			continue
		}
		select {
		case idx, ok := <-ready:
			if !ok {
				// Closed: the computation completed or failed; whatever is
				// still pending belongs to an interrupted execution.
				return
			}
			pending = append(pending, idx)
		case slots <- struct{}{}:
			idx := pending[len(pending)-1]
			pending = pending[:len(pending)-1]
			go func() {
				defer func() { <-slots }()
				run(idx)
			}()
		}
	}
}
