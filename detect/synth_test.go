package detect

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// testFrame is a synthetic trap frame with its ground truth.
type testFrame struct {
	img   *image.RGBA
	boxes []image.Rectangle // ground-truth box of each specimen (body, wings, legs)
	areas []float64         // drawn area (body, wings, legs) in pixels
	ppm   float64
}

type frameSpec struct {
	w, h      int
	ppm       float64
	specimens int
	debris    int
	yellow    bool // yellow sticky card instead of a white sheet
	noise     float64
	seed      uint64
	// minMM, maxMM bound body lengths; 0 means 2 and 16 mm.
	minMM, maxMM float64
}

// makeFrame draws specimens (dark body ellipse and head, two translucent
// wings, six thin legs) on an unevenly lit sheet with small debris specks,
// thin fibres and Gaussian noise. Specimens do not overlap.
func makeFrame(s frameSpec) testFrame {
	rng := rand.New(rand.NewPCG(s.seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, s.w, s.h))
	base := [3]float64{242, 240, 232}
	if s.yellow {
		base = [3]float64{236, 214, 52}
	}
	// Lighting: a bright spot at a random place, falling to ~60% in corners.
	lx, ly := rng.Float64()*float64(s.w), rng.Float64()*float64(s.h)
	sig := float64(max(s.w, s.h)) * 0.6
	shade := make([]float64, s.w*s.h)
	for y := range s.h {
		for x := range s.w {
			dx, dy := float64(x)-lx, float64(y)-ly
			shade[y*s.w+x] = 0.6 + 0.4*math.Exp(-(dx*dx+dy*dy)/(2*sig*sig))
		}
	}
	// Paint in "reflectance" (multiplier of the lit sheet colour).
	refl := make([]float64, s.w*s.h)
	for i := range refl {
		refl[i] = 1
	}
	darken := func(x, y int, r float64) {
		if x >= 0 && y >= 0 && x < s.w && y < s.h {
			refl[y*s.w+x] = math.Min(refl[y*s.w+x], r)
		}
	}
	tf := testFrame{ppm: s.ppm}
	var placed []image.Rectangle
	for len(tf.boxes) < s.specimens {
		lo, hi := s.minMM, s.maxMM
		if hi == 0 {
			lo, hi = 2, 16
		}
		lenMM := lo + rng.Float64()*(hi-lo)
		L := lenMM * s.ppm
		W := L * (0.25 + 0.15*rng.Float64())
		ang := rng.Float64() * math.Pi
		reach := L * 0.85
		cx := reach + rng.Float64()*(float64(s.w)-2*reach)
		cy := reach + rng.Float64()*(float64(s.h)-2*reach)
		guard := image.Rect(int(cx-reach), int(cy-reach), int(cx+reach), int(cy+reach)).Inset(-int(2 * s.ppm))
		overlap := false
		for _, p := range placed {
			if p.Overlaps(guard) {
				overlap = true
				break
			}
		}
		if overlap {
			continue
		}
		placed = append(placed, guard)
		ca, sa := math.Cos(ang), math.Sin(ang)
		bodyR := 0.08 + 0.12*rng.Float64()
		box := image.Rectangle{Min: image.Pt(s.w, s.h)}
		var area float64
		mark := func(x, y int) {
			box = box.Union(image.Rect(x, y, x+1, y+1))
		}
		for y := int(cy - reach); y <= int(cy+reach); y++ {
			for x := int(cx - reach); x <= int(cx+reach); x++ {
				u := (float64(x)-cx)*ca + (float64(y)-cy)*sa  // along body
				v := -(float64(x)-cx)*sa + (float64(y)-cy)*ca // across
				r := 1.0
				if (u/(L/2))*(u/(L/2))+(v/(W/2))*(v/(W/2)) <= 1 {
					r = bodyR
				} else if hu := u - L*0.55; hu*hu+v*v <= (W*0.35)*(W*0.35) {
					r = bodyR
				} else {
					// Wings: ellipses from the thorax, angled back on both sides.
					for _, side := range []float64{1, -1} {
						wu, wv := u+L*0.1, v-side*W*0.55
						if (wu/(L*0.42))*(wu/(L*0.42))+(wv/(W*0.45))*(wv/(W*0.45)) <= 1 {
							r = math.Min(r, 0.55)
						}
					}
				}
				if r < 1 {
					darken(x, y, r)
					mark(x, y)
				}
			}
		}
		// Legs: three on each side, thin dark lines.
		for k := range 6 {
			side := float64(1 - 2*(k%2))
			u0 := L * (0.15 - 0.15*float64(k/2))
			a := ang + side*(math.Pi/2-0.4+0.4*float64(k/2))
			ll := L * 0.45
			for t := 0.0; t <= ll; t += 0.5 {
				px := cx + u0*ca - side*W*0.3*sa + t*math.Cos(a)
				py := cy + u0*sa + side*W*0.3*ca + t*math.Sin(a)
				for _, d := range [][2]int{{0, 0}, {1, 0}} {
					x, y := int(px)+d[0], int(py)+d[1]
					darken(x, y, bodyR+0.1)
					mark(x, y)
				}
			}
		}
		box = box.Intersect(img.Bounds())
		area = 0
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				if refl[y*s.w+x] < 1 {
					area++
				}
			}
		}
		tf.boxes = append(tf.boxes, box)
		tf.areas = append(tf.areas, area)
	}
	for range s.debris {
		x, y := rng.IntN(s.w), rng.IntN(s.h)
		if rng.IntN(2) == 0 { // speck, at most 0.25 mm² (MinAreaMM2 is 0.3)
			rad := (0.1 + 0.18*rng.Float64()) * s.ppm
			for yy := y - 3; yy <= y+3; yy++ {
				for xx := x - 3; xx <= x+3; xx++ {
					if dx, dy := float64(xx-x), float64(yy-y); dx*dx+dy*dy <= rad*rad {
						darken(xx, yy, 0.3)
					}
				}
			}
		} else { // fibre, 1 px wide, 3-10 mm long
			a := rng.Float64() * math.Pi
			for t := 0.0; t < (3+7*rng.Float64())*s.ppm; t += 0.5 {
				darken(x+int(t*math.Cos(a)), y+int(t*math.Sin(a)), 0.5)
			}
		}
	}
	for y := range s.h {
		for x := range s.w {
			i := y*s.w + x
			k := shade[i] * refl[i]
			var c [3]uint8
			for ch := range 3 {
				v := base[ch]*k + rng.NormFloat64()*s.noise
				c[ch] = uint8(math.Max(0, math.Min(255, v)))
			}
			img.SetRGBA(x, y, color.RGBA{c[0], c[1], c[2], 255})
		}
	}
	tf.img = img
	return tf
}

// matchScore greedily matches detections to ground truth at IoU >= minIoU
// and returns recall, precision and the matched pairs (gt index -> det index).
// synth's ground truth boxes are the drawn extent, legs and antennae
// included, while Detect's boxes (like the real frames' annotations in
// ../shared/realframes) are body and wings: the frame tests match at
// realMatchIoU, the real frames' scoring.
func matchScore(gt, det []image.Rectangle, minIoU float64) (recall, precision float64, pairs map[int]int) {
	pairs = map[int]int{}
	used := make([]bool, len(det))
	for gi, g := range gt {
		best, bi := minIoU, -1
		for di, d := range det {
			if v := IoU(g, d); !used[di] && v >= best {
				best, bi = v, di
			}
		}
		if bi >= 0 {
			used[bi] = true
			pairs[gi] = bi
		}
	}
	if len(gt) > 0 {
		recall = float64(len(pairs)) / float64(len(gt))
	}
	if len(det) > 0 {
		precision = float64(len(pairs)) / float64(len(det))
	}
	return recall, precision, pairs
}

// realMatchIoU is the IoU at which the real frames' README scores a box as
// found.
const realMatchIoU = 0.3
