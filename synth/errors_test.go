package synth

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestOptionErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"no dir", func(o *Options) { o.Dir = "" }, "directory"},
		{"one species", func(o *Options) { o.Species = 1 }, "--species"},
		{"no images", func(o *Options) { o.Images = 0 }, "--images"},
		{"imbalance", func(o *Options) { o.Imbalance = 0.5 }, "--imbalance"},
		{"size", func(o *Options) { o.Size = 4 }, "--size"},
		{"quality", func(o *Options) { o.Quality = 0 }, "quality"},
		{"too few images", func(o *Options) { o.Images = 20 }, "need about"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := tiny(t.TempDir())
			c.edit(&o)
			_, err := Generate(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, tiny(t.TempDir())); !errors.Is(err, context.Canceled) {
		t.Errorf("Generate with a cancelled context: %v", err)
	}
}
