package pool

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestRun(t *testing.T) {
	cases := []struct {
		name    string
		n       int
		failAt  int // -1: none
		wantErr bool
	}{
		{"all jobs", 50, -1, false},
		{"no jobs", 0, -1, false},
		{"first error wins", 50, 7, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var sum atomic.Int64
			last := 0
			err := Run(context.Background(), c.n, 3,
				func(i int) int { return i },
				func(buf *bytes.Buffer, j int) error {
					if j == c.failAt {
						return errors.New("boom")
					}
					sum.Add(int64(j))
					return nil
				},
				func(done, total int) { last = done })
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, want error %v", err, c.wantErr)
			}
			if !c.wantErr && (sum.Load() != int64(c.n*(c.n-1)/2) || last != c.n) {
				t.Fatalf("sum %d, progress %d for n=%d", sum.Load(), last, c.n)
			}
		})
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Run(ctx, 1000, 2, func(i int) int { return i }, func(*bytes.Buffer, int) error { return nil }, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
