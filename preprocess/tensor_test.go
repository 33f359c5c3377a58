package preprocess

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"path/filepath"
	"testing"
)

// identity normalisation: output = v/255.
var unit = Params{Size: 2, Mean: [3]float32{0, 0, 0}, Std: [3]float32{1, 1, 1}}

func near(a, b, tol float32) bool { return float32(math.Abs(float64(a-b))) <= tol }

func fill(img draw.Image, c color.Color) {
	draw.Draw(img, img.Bounds(), &image.Uniform{c}, image.Point{}, draw.Src)
}

func TestConstantImageAllTypes(t *testing.T) {
	c := color.RGBA{R: 200, G: 100, B: 50, A: 255}
	ycc := func(r image.YCbCrSubsampleRatio) image.Image {
		im := image.NewYCbCr(image.Rect(0, 0, 13, 9), r)
		y, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
		for i := range im.Y {
			im.Y[i] = y
		}
		for i := range im.Cb {
			im.Cb[i], im.Cr[i] = cb, cr
		}
		return im
	}
	rgba := image.NewRGBA(image.Rect(0, 0, 7, 11))
	fill(rgba, c)
	nrgba := image.NewNRGBA(image.Rect(0, 0, 5, 5))
	fill(nrgba, c)
	pal := image.NewPaletted(image.Rect(0, 0, 6, 4), color.Palette{c})
	gray := image.NewGray(image.Rect(0, 0, 9, 3))
	fill(gray, color.Gray{Y: 80})
	cases := []struct {
		name string
		img  image.Image
		want [3]float32
		tol  float32
	}{
		{"ycbcr420", ycc(image.YCbCrSubsampleRatio420), [3]float32{200, 100, 50}, 2},
		{"ycbcr444", ycc(image.YCbCrSubsampleRatio444), [3]float32{200, 100, 50}, 2},
		{"ycbcr422", ycc(image.YCbCrSubsampleRatio422), [3]float32{200, 100, 50}, 2},
		{"rgba", rgba, [3]float32{200, 100, 50}, 0.01},
		{"nrgba", nrgba, [3]float32{200, 100, 50}, 0.01},
		{"paletted (generic)", pal, [3]float32{200, 100, 50}, 0.01},
		{"gray", gray, [3]float32{80, 80, 80}, 0.01},
	}
	for _, tc := range cases {
		for _, size := range []int{1, 4, 20} { // shrink and enlarge
			p := Default(size)
			out, err := Tensor(tc.img, p)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			for i := 0; i < size*size; i++ {
				for ch := 0; ch < 3; ch++ {
					want := (tc.want[ch]/255 - p.Mean[ch]) / p.Std[ch]
					if !near(out[i*3+ch], want, tc.tol/255/p.Std[ch]) {
						t.Fatalf("%s size %d: pixel %d ch %d = %v, want %v", tc.name, size, i, ch, out[i*3+ch], want)
					}
				}
			}
		}
	}
}

func TestAreaAverageAndCentreCrop(t *testing.T) {
	// 6x4 image: columns 0 and 5 are white (cropped away), the centre 4x4
	// has four 2x2 blocks of values 10, 20, 30, 40.
	img := image.NewGray(image.Rect(0, 0, 6, 4))
	for y := 0; y < 4; y++ {
		for x := 0; x < 6; x++ {
			v := uint8(255)
			if x >= 1 && x <= 4 {
				v = uint8(10 + 10*((x-1)/2) + 20*(y/2))
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	cases := []struct {
		name   string
		resize string
		size   int
		want   []float32 // channel 0, row-major, in 0..255
	}{
		{"2x2 blocks", ResizeCenterCrop, 2, []float32{10, 20, 30, 40}},
		{"1x1 mean", ResizeCenterCrop, 1, []float32{25}},
		{"3x3 fractional", ResizeCenterCrop, 3, []float32{10, 15, 20, 20, 25, 30, 30, 35, 40}},
		{"stretch keeps borders", ResizeStretch, 2, []float32{(255 + 10 + 10) / 3.0, (20 + 20 + 255) / 3.0, (255 + 30 + 30) / 3.0, (40 + 40 + 255) / 3.0}},
	}
	for _, tc := range cases {
		p := unit
		p.Size, p.Resize = tc.size, tc.resize
		out, err := Tensor(img, p)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range tc.want {
			if !near(out[i*3]*255, w, 0.01) {
				t.Errorf("%s: pixel %d = %v, want %v", tc.name, i, out[i*3]*255, w)
			}
		}
	}
}

func TestBilinearEnlarge(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 2, 1))
	img.Pix[0], img.Pix[1] = 0, 200
	p := unit
	p.Size, p.Resize = 4, ResizeStretch
	out, err := Tensor(img, p)
	if err != nil {
		t.Fatal(err)
	}
	// Output centres at source x = -0.25, 0.25, 0.75, 1.25 (clamped ends).
	want := []float32{0, 50, 150, 200}
	for i, w := range want {
		if !near(out[i*3]*255, w, 0.01) {
			t.Errorf("x=%d: %v, want %v", i, out[i*3]*255, w)
		}
	}
}

// A decoded JPEG (YCbCr fast path) must match the same pixels converted to
// RGBA first (generic path) closely.
func TestYCbCrMatchesRGBA(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 50, 37))
	for y := 0; y < 37; y++ {
		for x := 0; x < 50; x++ {
			src.Set(x, y, color.RGBA{uint8(x * 5), uint8(y * 6), uint8((x + y) * 2), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := dec.(*image.YCbCr); !ok {
		t.Fatalf("decoded %T, want *image.YCbCr", dec)
	}
	rgba := image.NewRGBA(dec.Bounds())
	draw.Draw(rgba, rgba.Bounds(), dec, image.Point{}, draw.Src)
	for _, size := range []int{8, 16, 64} {
		p := Default(size)
		a, _ := Tensor(dec, p)
		b, _ := Tensor(rgba, p)
		var worst float32
		for i := range a {
			worst = max(worst, float32(math.Abs(float64(a[i]-b[i])))*p.Std[i%3]*255)
		}
		// Chroma is averaged over its own (subsampled) grid, so a few grey
		// levels of difference at colour edges are expected.
		if worst > 6 {
			t.Errorf("size %d: YCbCr and RGBA paths differ by %.2f grey levels", size, worst)
		}
	}
}

func TestSubImageOrigin(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	fill(img, color.RGBA{0, 0, 0, 255})
	sub := img.SubImage(image.Rect(4, 4, 8, 8)).(*image.RGBA)
	fill(sub, color.RGBA{255, 255, 255, 255})
	p := unit
	p.Size = 2
	out, err := Tensor(sub, p)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		if !near(v, 1, 1e-6) {
			t.Fatalf("sub-image value %d = %v, want 1 (white)", i, v)
		}
	}
}

func TestErrors(t *testing.T) {
	good := image.NewRGBA(image.Rect(0, 0, 4, 4))
	cases := []struct {
		name string
		dst  []float32
		img  image.Image
		p    Params
	}{
		{"zero size", make([]float32, 0), good, Params{Size: 0, Std: [3]float32{1, 1, 1}}},
		{"zero std", make([]float32, 12), good, Params{Size: 2}},
		{"bad resize", make([]float32, 12), good, Params{Size: 2, Std: [3]float32{1, 1, 1}, Resize: "fish"}},
		{"short dst", make([]float32, 5), good, Default(2)},
		{"nil image", make([]float32, 12), nil, Default(2)},
		{"empty image", make([]float32, 12), image.NewRGBA(image.Rect(0, 0, 0, 3)), Default(2)},
	}
	for _, tc := range cases {
		if err := Into(tc.dst, tc.img, tc.p); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestParamsJSONRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "preprocess.json")
	p := Default(64)
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	q, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if q != p {
		t.Fatalf("round trip: %+v != %+v", q, p)
	}
	if _, err := Unmarshal([]byte(`{"size": -3}`)); err == nil {
		t.Fatal("invalid params accepted")
	}
}

// Sub-images of a YCbCr image (aligned: fast path; odd origin: generic
// path) give the same tensor as their RGBA conversion.
func TestYCbCrSubImages(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			src.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 8), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []image.Rectangle{image.Rect(4, 2, 36, 28), image.Rect(3, 5, 30, 29)} {
		sub := dec.(*image.YCbCr).SubImage(r)
		rgba := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
		draw.Draw(rgba, rgba.Bounds(), sub, r.Min, draw.Src)
		p := Default(8)
		a, err := Tensor(sub, p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Tensor(rgba, p)
		for i := range a {
			if d := math.Abs(float64(a[i]-b[i])) * float64(p.Std[i%3]) * 255; d > 6 {
				t.Fatalf("sub-image %v: value %d differs by %.1f grey levels", r, i, d)
			}
		}
	}
}

// Extreme shapes (thin, tiny, odd chroma) never panic and give finite values
// within the normalised range of 0..255 inputs.
func TestExtremeShapes(t *testing.T) {
	shapes := [][2]int{{1, 1}, {1, 300}, {300, 1}, {3, 2}, {257, 255}}
	ratios := []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410, image.YCbCrSubsampleRatio440}
	for _, sh := range shapes {
		imgs := []image.Image{image.NewRGBA(image.Rect(0, 0, sh[0], sh[1])), image.NewGray(image.Rect(0, 0, sh[0], sh[1]))}
		for _, r := range ratios {
			y := image.NewYCbCr(image.Rect(0, 0, sh[0], sh[1]), r)
			for i := range y.Y {
				y.Y[i] = uint8(i)
			}
			for i := range y.Cb {
				y.Cb[i], y.Cr[i] = uint8(i*7), uint8(255-i)
			}
			imgs = append(imgs, y)
		}
		for _, img := range imgs {
			for _, size := range []int{1, 7, 64} {
				for _, mode := range []string{ResizeCenterCrop, ResizeStretch} {
					p := Default(size)
					p.Resize = mode
					out, err := Tensor(img, p)
					if err != nil {
						t.Fatalf("%T %v size %d: %v", img, sh, size, err)
					}
					for i, v := range out {
						c := i % 3
						lo, hi := -p.Mean[c]/p.Std[c]-1e-3, (1-p.Mean[c])/p.Std[c]+1e-3
						if math.IsNaN(float64(v)) || v < lo || v > hi {
							t.Fatalf("%T %v size %d %s: value %d = %v outside [%v, %v]", img, sh, size, mode, i, v, lo, hi)
						}
					}
				}
			}
		}
	}
}
