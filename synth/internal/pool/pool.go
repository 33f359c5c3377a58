// Package pool runs synth's rendering jobs: jobs are produced in index order
// on one goroutine (so a producer may carry state from job i-1 to job i),
// worked on by a fixed number of goroutines, each with its own scratch
// buffer, and the first error cancels the rest.
package pool

import (
	"bytes"
	"context"
	"sync"
)

// Run calls produce(i) for i = 0..n-1 in order, hands each result to one of
// workers goroutines running work, and reports progress(done, n) after each
// finished job (from the calling goroutine). It returns the first error, or
// ctx.Err() if the context ended first.
func Run[J any](ctx context.Context, n, workers int, produce func(i int) J, work func(buf *bytes.Buffer, job J) error, progress func(done, total int)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan J)
	results := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for j := range jobs {
				results <- work(&buf, j)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := 0; i < n; i++ {
			j := produce(i)
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	done := 0
	var firstErr error
	for err := range results {
		if err != nil && firstErr == nil {
			firstErr = err
			cancel()
		}
		done++
		if progress != nil {
			progress(done, n)
		}
	}
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}
