package trap

import (
	"context"
	"errors"
	"testing"
)

// BenchmarkFrame measures one full-size 4096x2160 trap frame of each
// background (and a PhotoCard card), written.
func BenchmarkFrame(b *testing.B) {
	for _, tc := range []struct {
		name, bg  string
		photoCard bool
	}{{BackgroundSheet, BackgroundSheet, false}, {BackgroundSticky, BackgroundSticky, false}, {"photocard", BackgroundSticky, true}} {
		b.Run(tc.name, func(b *testing.B) {
			o := DefaultOptions()
			o.Dir, o.Frames, o.Workers, o.Overwrite, o.Background, o.PhotoCard = b.TempDir(), 1, 1, true, tc.bg, tc.photoCard
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
