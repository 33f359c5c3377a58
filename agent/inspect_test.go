package agent

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect"
)

func TestInspect(t *testing.T) {
	fr := camera.Frame{Path: "f.jpg", Image: image.NewUniform(color.White)}
	for _, tc := range []struct {
		name    string
		in      Inspector
		want    []Found
		wantErr string
	}{
		{"no classifier, no scale", Inspector{Finder: fakeFinder{reds: []uint8{200, 0}}, Cfg: testConfig(t)},
			[]Found{{Frame: "f.jpg", Index: 0, Box: Box{0, 0, 8, 8}, WidthPx: 8, HeightPx: 8, AreaPx: 40},
				{Frame: "f.jpg", Index: 1, Box: Box{10, 0, 18, 8}, WidthPx: 8, HeightPx: 8, AreaPx: 40}}, ""},
		{"classifier and scale", Inspector{Finder: fakeFinder{reds: []uint8{200}}, Classifier: &fakeClassifier{}, Cfg: testConfig(t), WithMM: true},
			[]Found{{Frame: "f.jpg", Box: Box{0, 0, 8, 8}, WidthPx: 8, HeightPx: 8, AreaPx: 40, LengthMM: 3, Label: "Drosophila melanogaster", Score: 0.9}}, ""},
		{"a veiled, noisy card's frame", Inspector{Finder: scaledFinder{fakeFinder{reds: []uint8{200}}, Scale{PixelsPerMM: 8, Source: "config"}, 0, 61, 9.3, "card", false}, Cfg: testConfig(t)},
			[]Found{{Frame: "f.jpg", Box: Box{0, 0, 8, 8}, WidthPx: 8, HeightPx: 8, AreaPx: 40, Haze: 61, Noise: 9.3, Surface: "card"}}, ""},
		{"classifier error fails the frame", Inspector{Finder: fakeFinder{reds: []uint8{200, 0}}, Classifier: &fakeClassifier{}, Cfg: testConfig(t)},
			nil, "f.jpg: classify specimen 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.Inspect(fr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("specimen %d: %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestUseCaptureSurface: capture.surface reaches the detector as its Trap.
func TestUseCaptureSurface(t *testing.T) {
	for surface, want := range map[string]string{"": detect.TrapAuto, "auto": detect.TrapAuto, "sticky_card": detect.TrapSticky, "sheet": detect.TrapSheet} {
		f := NewDetectFinder(8)
		f.UseCapture(config.Capture{Surface: surface, RulerScale: true})
		if f.Options.Trap != want {
			t.Errorf("capture.surface %q: Trap %q, want %q", surface, f.Options.Trap, want)
		}
	}
}
