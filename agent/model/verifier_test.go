package model

import (
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/agent/model/testmodel"
)

func TestVerifier(t *testing.T) {
	species, err := Parse(testmodel.Build(testmodel.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewVerifier(species); err == nil {
		t.Error("a species model without a junk class taken for a verifier")
	}
	// testmodel: label k answers colour channel k, so green is junk here.
	m, err := Parse(testmodel.Build(testmodel.Options{Labels: []string{"insect", RejectLabel, "other"}}))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(m)
	if err != nil {
		t.Fatal(err)
	}
	crop := func(c color.RGBA) image.Image {
		img := image.NewRGBA(image.Rect(0, 0, 16, 16))
		draw.Draw(img, img.Bounds(), image.NewUniform(c), image.Point{}, draw.Src)
		return img
	}
	green, err := v.NotInsect(crop(color.RGBA{0, 255, 0, 255}))
	if err != nil {
		t.Fatal(err)
	}
	red, err := v.NotInsect(crop(color.RGBA{255, 0, 0, 255}))
	if err != nil {
		t.Fatal(err)
	}
	if !(green > 0.5 && red < 0.5) {
		t.Errorf("junk probability: green %.3f, red %.3f; want over and under 0.5", green, red)
	}
	if _, err := v.NotInsect(image.NewRGBA(image.Rectangle{})); err == nil {
		t.Error("an empty crop judged")
	}
}

func TestLoadVerifier(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("verifier.tflite", testmodel.Build(testmodel.Options{Labels: []string{"insect", RejectLabel}}))
	if _, err := LoadVerifier(good); err != nil {
		t.Errorf("verifier: %v", err)
	}
	for name, c := range map[string]struct {
		path, want string
	}{
		"species model": {write("species.tflite", testmodel.Build(testmodel.Options{})), "junk"},
		"broken model":  {write("broken.tflite", testmodel.Build(testmodel.Options{Labels: []string{"insect", RejectLabel}, Broken: true})), ""},
		"missing file":  {filepath.Join(dir, "none.tflite"), "none.tflite"},
	} {
		_, err := LoadVerifier(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want one naming %q", name, err, c.want)
		}
	}
}
