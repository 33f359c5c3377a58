package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/model/testmodel"
	"github.com/trapnet/trapnet/camera"
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

func runDetect(t *testing.T, args ...string) (lines []map[string]any, err error) {
	var out, errOut bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&errOut)
	rootCmd.SetArgs(append([]string{"detect"}, args...))
	err = rootCmd.Execute()
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if e := json.Unmarshal([]byte(l), &m); e != nil {
			t.Fatalf("output line %q: %v", l, e)
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
