package trap

import (
	"context"
	"errors"
	"testing"
)

// BenchmarkFrame measures one full-size 4096x2160 trap frame, written.
func BenchmarkFrame(b *testing.B) {
	o := DefaultOptions()
	o.Dir, o.Frames, o.Workers = b.TempDir(), 1, 1
	for b.Loop() {
		if _, err := Generate(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, tinyFrames(t.TempDir())); !errors.Is(err, context.Canceled) {
		t.Errorf("Generate with a cancelled context: %v", err)
	}
}
