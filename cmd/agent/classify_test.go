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

	"github.com/trapnet/trapnet/agent/model/testmodel"
)

func TestClassifyCommand(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "m.tflite")
	os.WriteFile(modelPath, testmodel.Build(testmodel.Options{Version: "cli-1"}), 0o644)
	img := image.NewRGBA(image.Rect(0, 0, 20, 20))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i+1], img.Pix[i+3] = 255, 255 // green: Drosophila melanogaster
	}
	img.Set(0, 0, color.White)
	good := filepath.Join(dir, "fly.png")
	f, _ := os.Create(good)
	png.Encode(f, img)
	f.Close()
	bad := filepath.Join(dir, "bad.jpg")
	os.WriteFile(bad, []byte("not a jpeg"), 0o644)

	var out bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetArgs([]string{"classify", "--model", modelPath, "--lat", "45.5", "--lon", "-73.6", "--date", "2026-06-01",
		"--country", "Canada", "--meta", "image_measurement_value=4000", "--top-k", "2", good, bad})
	err := rootCmd.Execute()
	if err == nil || !strings.Contains(err.Error(), "1 of 2 images") {
		t.Fatalf("err = %v, want a failure for the corrupt image", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("output %q", out.String())
	}
	var res classifyResult
	if err := json.Unmarshal([]byte(lines[0]), &res); err != nil {
		t.Fatal(err)
	}
	if res.Label != "Drosophila melanogaster" || len(res.TopK) != 2 || res.ModelVersion != "cli-1" || res.Error != "" {
		t.Fatalf("result %+v", res)
	}
	json.Unmarshal([]byte(lines[1]), &res)
	if res.Error == "" || res.Image != bad {
		t.Fatalf("corrupt image result %+v", res)
	}
}
