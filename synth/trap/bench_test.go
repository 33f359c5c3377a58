package trap

import (
	"context"
	"errors"
	"testing"
)

// BenchmarkFrame measures one full-size 4096x2160 trap frame of each
// background, written.
func BenchmarkFrame(b *testing.B) {
	for _, bg := range []string{BackgroundSheet, BackgroundSticky} {
		b.Run(bg, func(b *testing.B) {
			o := DefaultOptions()
			o.Dir, o.Frames, o.Workers, o.Overwrite, o.Background = b.TempDir(), 1, 1, true, bg
			for b.Loop() {
				if _, err := Generate(context.Background(), o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, tinyFrames(t.TempDir())); !errors.Is(err, context.Canceled) {
		t.Errorf("Generate with a cancelled context: %v", err)
	}
}
