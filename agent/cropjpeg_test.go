package agent

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
)

// noisy is a w x h image of pseudo-random colours (hard to compress).
func noisy(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	x := uint32(1)
	for i := range img.Pix {
		x = x*1664525 + 1013904223
		img.Pix[i] = uint8(x >> 24)
	}
	return img
}

func TestEncodeCrop(t *testing.T) {
	for _, tc := range []struct {
		name            string
		img             image.Image
		side, maxBytes  int
		wantW, wantH    int
		wantErrContains string
	}{
		{"scaled down", noisy(400, 300), 160, 64 << 10, 160, 120, ""},
		{"never up", image.NewUniform(color.Gray{100}), 0, 0, 0, 0, "empty image"},
		{"small kept", noisy(50, 80), 160, 64 << 10, 50, 80, ""},
		{"quality lowered", noisy(200, 200), 200, 12 << 10, 200, 200, ""},
		{"too large", noisy(1024, 1024), 1024, 1024, 0, 0, "over crops.max_bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := tc.img
			if _, ok := img.(*image.Uniform); ok {
				img = image.NewRGBA(image.Rect(0, 0, 0, 0))
			}
			b, err := EncodeCrop(img, tc.side, tc.maxBytes)
			if tc.wantErrContains != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrContains) {
					t.Fatalf("err %v, want %q", err, tc.wantErrContains)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := jpeg.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds().Dx() != tc.wantW || got.Bounds().Dy() != tc.wantH || len(b) > tc.maxBytes {
				t.Errorf("%v, %d bytes; want %dx%d within %d", got.Bounds(), len(b), tc.wantW, tc.wantH, tc.maxBytes)
			}
		})
	}
}

// TestProcessPublishesCrops: with crops.enabled each new specimen's crop
// follows its detection through the outbox.
func TestProcessPublishesCrops(t *testing.T) {
	p, box, _ := newPipeline(t, fakeFinder{reds: []uint8{200, 100, 200}, old: map[int]bool{2: true}}, &fakeClassifier{})
	p.Cfg.Crops.Enabled = true
	if _, err := p.Process(frame("f1.jpg")); err != nil {
		t.Fatal(err)
	}
	es, _ := box.Peek(100)
	var topics []string
	var lastDet string
	for _, e := range es {
		topic := strings.TrimPrefix(e.Topic, "trapnet/t1/")
		topics = append(topics, topic)
		switch topic {
		case "detections":
			var d Detection
			json.Unmarshal(e.Payload, &d)
			lastDet = d.ID
		case "crops":
			var c Crop
			if err := json.Unmarshal(e.Payload, &c); err != nil {
				t.Fatal(err)
			}
			if c.DetectionID != lastDet || c.TrapID != "t1" || len(c.JPEG) > p.Cfg.Crops.MaxBytes {
				t.Errorf("crop %s (%d bytes) after detection %s", c.DetectionID, len(c.JPEG), lastDet)
			}
			if _, err := jpeg.Decode(bytes.NewReader(c.JPEG)); err != nil {
				t.Errorf("crop is not a JPEG: %v", err)
			}
		}
	}
	if got := strings.Join(topics, ","); got != "detections,crops,detections,crops,counts,frames" {
		t.Fatalf("topics %s", got)
	}
}
