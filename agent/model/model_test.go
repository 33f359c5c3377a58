package model

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/model/testmodel"
	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/tflite"
)

func solid(c color.RGBA, size int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			img.Set(x, y, c)
		}
	}
	return img
}

func TestClassifyColours(t *testing.T) {
	for _, int8io := range []bool{false, true} {
		t.Run(map[bool]string{false: "float", true: "int8"}[int8io], func(t *testing.T) { testColours(t, int8io) })
	}
}

func testColours(t *testing.T, int8io bool) {
	m, err := Parse(testmodel.Build(testmodel.Options{Int8: int8io}))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[bool]tflite.TensorType{false: tflite.Float32, true: tflite.Int8}[int8io]; m.in[0].Type != want || m.in[1].Type != want || m.out[0].Type != want {
		t.Fatalf("io types %v %v %v, want %v", m.in[0].Type, m.in[1].Type, m.out[0].Type, want)
	}
	if err := m.SelfTest(); err != nil {
		t.Fatal(err)
	}
	if m.Version() != "test-1" || len(m.Labels()) != 3 || m.Schema() == nil {
		t.Fatalf("metadata not read: %s %v", m.Version(), m.Labels())
	}
	cases := []struct {
		c    color.RGBA
		want string
	}{
		{color.RGBA{255, 0, 0, 255}, "Lycorma delicatula"},
		{color.RGBA{0, 255, 0, 255}, "Drosophila melanogaster"},
		{color.RGBA{0, 0, 255, 255}, "Musca domestica"},
	}
	row := metadata.Row{"country": "Canada", "coord-lat": "45", "coord-lon": "-73", "date": "2026-06-01", "image_measurement_value": "5000"}
	for _, c := range cases {
		preds, err := m.Classify(solid(c.c, 40), row)
		if err != nil {
			t.Fatal(err)
		}
		if top := agent.TopK(preds, 1)[0]; top.Label != c.want || top.Score < 0.5 {
			t.Errorf("colour %v: top %+v, want %s", c.c, top, c.want)
		}
	}
	// A bad metadata value is encoded as missing and counted, not an error.
	if _, err := m.Classify(solid(color.RGBA{255, 0, 0, 255}, 8), metadata.Row{"coord-lat": "north", "coord-lon": "1"}); err != nil {
		t.Fatal(err)
	}
	if m.EncodeWarnings.Load() != 1 {
		t.Fatalf("encode warnings %d", m.EncodeWarnings.Load())
	}
}

func TestBadModels(t *testing.T) {
	good := testmodel.Build(testmodel.Options{})
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, ""},
		{"garbage", []byte("definitely not a flatbuffer"), ""},
		{"truncated", good[:len(good)/2], ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Parse(c.data); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	broken, err := Parse(testmodel.Build(testmodel.Options{Broken: true}))
	if err != nil {
		t.Fatal(err)
	}
	if err := broken.SelfTest(); err == nil {
		t.Fatal("NaN model passed the self-test")
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.tflite")); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Fatalf("missing file: %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func TestConcurrentClassify(t *testing.T) {
	data := testmodel.Build(testmodel.Options{Int8: true})
	m, err := ParseN(data, 3)
	if err != nil {
		t.Fatal(err)
	}
	colours := []color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {120, 80, 200, 255}}
	want := make([][]agent.Prediction, len(colours))
	for i, c := range colours {
		if want[i], err = m.Classify(solid(c, 16), metadata.Row{"country": "Canada"}); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for k := 0; k < 20; k++ {
				i := (g + k) % len(colours)
				got, err := m.Classify(solid(colours[i], 16), metadata.Row{"country": "Canada"})
				if err != nil {
					errs <- err
					return
				}
				for j := range got {
					if got[j] != want[i][j] {
						errs <- fmt.Errorf("goroutine %d colour %d: %v, want %v", g, i, got, want[i])
						return
					}
				}
			}
			errs <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestOmitColumns(t *testing.T) {
	m, err := Parse(testmodel.Build(testmodel.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Omitted(); len(got) != 0 {
		t.Fatalf("test model: omitted %v, want none (every field was present in its fitting rows)", got)
	}
	crop := solid(color.RGBA{200, 100, 50, 255}, 8)
	without, _ := m.Classify(crop, metadata.Row{"country": "Canada"})
	with, _ := m.Classify(crop, metadata.Row{"country": "Canada", "date": "2026-03-01"})
	if with[0] == without[0] {
		t.Fatal("the date should change the test model's output")
	}
	m.Omit("date")
	omitted, _ := m.Classify(crop, metadata.Row{"country": "Canada", "date": "2026-03-01"})
	for i := range omitted {
		if omitted[i] != without[i] {
			t.Fatalf("omitted date still used: %v vs %v", omitted, without)
		}
	}

	s := metadata.DefaultBIOSCAN()
	ft, _ := metadata.NewFitter(s)
	ft.Add(metadata.Row{"province_state": "Ontario", "image_measurement_value": "10", "scale_factor": "2"})
	ft.Add(metadata.Row{"province_state": "Quebec", "image_measurement_value": "30", "scale_factor": "1"})
	sc := ft.Finish()
	if got := fmt.Sprint(unseenColumns(sc)); got != "[country coord-lat coord-lon area_fraction date]" {
		t.Fatalf("unseen columns %s, want [country coord-lat coord-lon area_fraction date]", got)
	}
	sc.Counted = false // a schema fitted before presence counts: the heuristic
	if got := fmt.Sprint(unseenColumns(sc)); got != "[country area_fraction]" {
		t.Fatalf("unseen columns %s, want [country area_fraction]", got)
	}
}
