package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/model/testmodel"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/synth/trap"
)

// sheetFrame writes a 400x300 light sheet with one dark 20x10 mm specimen
// (at 4 px/mm) centred at (200, 150).
func sheetFrame(t *testing.T, path string) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for y := range 300 {
		for x := range 400 {
			c := color.RGBA{225, 225, 220, 255}
			if dx, dy := float64(x-200)/40, float64(y-150)/20; dx*dx+dy*dy <= 1 {
				c = color.RGBA{40, 30, 20, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// lastStderr is what the last runDetect wrote to standard error.
var lastStderr string

// runDetect runs `agent detect args...` in-process, its flags back at
// their defaults first (cobra keeps them between runs).
func runDetect(t *testing.T, args ...string) (lines []map[string]any, err error) {
	cmd, _, err := rootCmd.Find([]string{"detect"})
	if err != nil {
		t.Fatal(err)
	}
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err := f.Value.Set(f.DefValue); err != nil {
			t.Fatalf("resetting --%s: %v", f.Name, err)
		}
		f.Changed = false
	})
	var out, errOut bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&errOut)
	rootCmd.SetArgs(append([]string{"detect"}, args...))
	err = rootCmd.Execute()
	lastStderr = errOut.String()
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if l == "" {
			continue // no output (a refused flag)
		}
		var m map[string]any
		if e := json.Unmarshal([]byte(l), &m); e != nil {
			t.Fatalf("output line %q: %v (err %v, stderr %s)", l, e, err, errOut.String())
		}
		lines = append(lines, m)
	}
	return lines, err
}

func TestDetectCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "sheet.png")
	sheetFrame(t, good)
	bad := filepath.Join(dir, "bad.jpg")
	os.WriteFile(bad, []byte("not a jpeg"), 0o644)

	// No scale, no model: box and pixels only.
	lines, err := runDetect(t, good)
	if err != nil || len(lines) != 1 {
		t.Fatalf("err %v, lines %v", err, lines)
	}
	if _, ok := lines[0]["length_mm"]; ok || lines[0]["label"] != nil || lines[0]["frame"] != good {
		t.Fatalf("without a scale or model: %v", lines[0])
	}

	// Scale, model, annotation, and a corrupt frame that fails alone.
	modelPath := filepath.Join(dir, "m.tflite")
	os.WriteFile(modelPath, testmodel.Build(testmodel.Options{}), 0o644)
	ann := filepath.Join(dir, "annotated")
	lines, err = runDetect(t, "--pixels-per-mm", "4", "--model", modelPath, "--annotate", ann, bad, good)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 frames failed") {
		t.Fatalf("err = %v, want a failure for the corrupt frame", err)
	}
	if len(lines) != 2 || lines[0]["frame"] != bad || lines[0]["error"] == nil {
		t.Fatalf("lines %v", lines)
	}
	var s agent.Found
	raw, _ := json.Marshal(lines[1])
	json.Unmarshal(raw, &s)
	box := s.Box.Rect()
	if !box.In(image.Rect(150, 120, 251, 181)) || s.WidthPx < 70 || s.LengthMM < 17 || s.LengthMM > 23 || s.Label == "" || !(s.Score > 0) {
		t.Fatalf("specimen %+v", s)
	}
	img, err := camera.DecodeFile(filepath.Join(ann, "sheet.jpg"), 0)
	if err != nil {
		t.Fatal(err)
	}
	// The outline is 2 px wide and JPEG blurs its colour over a few
	// pixels: look for red within 2 px of the box's left edge.
	red := false
	y := box.Min.Y + box.Dy()/2
	for x := box.Min.X - 2; x <= box.Min.X+2; x++ {
		if r, g, b, _ := img.At(x, y).RGBA(); r > 0xa000 && g < 0x6000 && b < 0x6000 {
			red = true
		}
	}
	if !red {
		r, g, b, _ := img.At(box.Min.X, y).RGBA()
		t.Fatalf("annotated frame: box edge colour %x %x %x, want red", r, g, b)
	}
}

// TestDetectScaleReferences: `agent detect` reads the scale from what is
// in view and says so on every line: a millimetre ruler with nothing
// configured (sizes in mm though no scale was given), a solid bar with
// capture.solid_bar_mm of --config; capture.ruler_scale false keeps the
// configured scale.
func TestDetectScaleReferences(t *testing.T) {
	dir := t.TempDir()
	const ppm = 6.0
	draw := func(name string, ref func(*image.RGBA) error) string {
		img := image.NewRGBA(image.Rect(0, 0, 1400, 700))
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 215, 213, 208, 255
		}
		for y := 500; y < 560; y++ { // a moth 20 x 10 mm at (300, 530)
			for x := 240; x < 360; x++ {
				if dx, dy := float64(x-300)/60, float64(y-530)/30; dx*dx+dy*dy <= 1 {
					img.SetRGBA(x, y, color.RGBA{70, 55, 40, 255})
				}
			}
		}
		if err := ref(img); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ruler := draw("ruler.png", func(img *image.RGBA) error {
		return trap.DrawRuler(img, trap.Ruler{X: 200, Y: 100, PixelsPerMM: ppm, LengthMM: 150}, color.NRGBA{200, 165, 115, 255})
	})
	bar := draw("bar.png", func(img *image.RGBA) error {
		return trap.DrawSolidBar(img, trap.SolidBar{X: 700, Y: 200, PixelsPerMM: ppm, LengthMM: 10, WidthMM: 1.5, Caption: true}, color.RGBA{25, 25, 30, 255})
	})
	nCfg := 0
	cfg := func(extra string) string {
		nCfg++
		p := filepath.Join(dir, fmt.Sprintf("agent%d.yaml", nCfg))
		if err := os.WriteFile(p, []byte("trap: {id: t1}\ncapture: {pixels_per_mm: 9"+extra+"}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	moth := func(lines []map[string]any) agent.Found {
		t.Helper()
		for _, l := range lines {
			var s agent.Found
			raw, _ := json.Marshal(l)
			json.Unmarshal(raw, &s)
			if s.Box.Rect().Overlaps(image.Rect(290, 520, 310, 540)) {
				return s
			}
		}
		t.Fatalf("no moth among %v", lines)
		return agent.Found{}
	}
	for _, tc := range []struct {
		name   string
		args   []string
		source string
		ppm    float64
	}{
		{"ruler, nothing configured", []string{ruler}, "ruler", ppm},
		{"ruler, configured scale 9", []string{"--config", cfg(""), ruler}, "ruler", ppm},
		{"ruler off", []string{"--config", cfg(", ruler_scale: false"), ruler}, "config", 9},
		{"solid bar of 10 mm", []string{"--config", cfg(", solid_bar_mm: 10"), bar}, "solid_bar", ppm},
		{"solid bar not configured", []string{"--config", cfg(""), bar}, "config", 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines, err := runDetect(t, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			s := moth(lines)
			if s.ScaleSource != tc.source || math.Abs(s.PixelsPerMM/tc.ppm-1) > 0.01 {
				t.Errorf("scale %v from %q, want %v from %q", s.PixelsPerMM, s.ScaleSource, tc.ppm, tc.source)
			}
			if want := 20 * ppm / tc.ppm; math.Abs(s.LengthMM/want-1) > 0.1 {
				t.Errorf("moth %.1f mm long, want %.1f", s.LengthMM, want)
			}
		})
	}
}

// TestDetectSurface: --surface sticky_card finds a card in a grey-level
// photo by its brightness and every line says so ("grey_card"); without it
// the frame is searched as a sheet, and standard error says once how to
// have it searched as a card; an unknown value is refused.
func TestDetectSurface(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "grey-card.png")
	img := image.NewGray(image.Rect(0, 0, 600, 450))
	for y := range 450 {
		for x := range 600 {
			v := uint8(30) // dark cloth
			if x >= 60 && x < 540 && y >= 45 && y < 405 {
				v = 170 // a yellow card in grey levels
				if (x-150)%120 < 8 && (y-120)%100 < 5 {
					v = 40 // small dark flies on it
				}
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	found := map[string]int{}
	for _, c := range []struct{ surface, want string }{{"", "sheet"}, {"sticky_card", "grey_card"}} {
		args := []string{"--pixels-per-mm", "8", path}
		if c.surface != "" {
			args = append([]string{"--surface", c.surface}, args...)
		}
		lines, err := runDetect(t, args...)
		if err != nil || len(lines) == 0 {
			t.Fatalf("--surface %q: err %v, lines %v", c.surface, err, lines)
		}
		for _, l := range lines {
			if l["surface"] != c.want {
				t.Fatalf("--surface %q: line %v, want surface %q", c.surface, l, c.want)
			}
		}
		t.Logf("--surface %q: %d specimens", c.surface, len(lines))
		found[c.want] = len(lines)
		if hint := strings.Count(lastStderr, "capture.surface: sticky_card"); hint != map[string]int{"sheet": 1, "grey_card": 0}[c.want] {
			t.Errorf("--surface %q: the hint to set capture.surface given %d times: %s", c.surface, hint, lastStderr)
		}
	}
	if found["grey_card"] <= found["sheet"] {
		t.Errorf("%d specimens on the grey card as a sticky card, %d as a sheet: want more as a card", found["grey_card"], found["sheet"])
	}
	if _, err := runDetect(t, "--surface", "card", path); err == nil || !strings.Contains(err.Error(), "sticky_card") {
		t.Fatalf("--surface card: err %v, want one naming the values", err)
	}
}
