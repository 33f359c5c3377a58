package preprocess

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Augment describes the training-time augmentation applied to a
// preprocessed tensor: a random crop with zero padding (zero is the mean
// colour after normalisation), random flips and transposes, and a random
// gain and offset per channel. The zero value does nothing.
type Augment struct {
	// Pad is the largest shift in pixels of the random crop: the image is
	// padded by Pad on every side and a Size x Size window is cut at a
	// uniformly random offset.
	Pad int `json:"pad,omitempty"`
	// HFlip and VFlip flip horizontally / vertically with probability 1/2.
	// Trap specimens have no preferred orientation, so both are sensible.
	HFlip bool `json:"hflip,omitempty"`
	VFlip bool `json:"vflip,omitempty"`
	// Transpose swaps rows and columns with probability 1/2: with both
	// flips, each of a specimen's eight right-angle turns and mirror
	// images is equally likely.
	Transpose bool `json:"transpose,omitempty"`
	// Jitter, when above 0, scales each channel by a factor drawn from
	// [1-Jitter, 1+Jitter] and adds an offset drawn from [-Jitter,
	// Jitter] (the tensor is normalised, so in units of the channel's
	// spread): lamps, cameras and days of photos differ in light and colour.
	Jitter float64 `json:"jitter,omitempty"`
}

// Enabled reports whether a does anything.
func (a Augment) Enabled() bool {
	return a.Pad > 0 || a.HFlip || a.VFlip || a.Transpose || a.Jitter > 0
}

// Check reports an augmentation that cannot be applied: a negative Pad, or
// a Jitter outside [0, 1) (a gain of 0 or less would blank or invert a
// channel).
func (a Augment) Check() error {
	if a.Pad < 0 {
		return fmt.Errorf("augment: pad %d is negative", a.Pad)
	}
	if a.Jitter < 0 || a.Jitter >= 1 || math.IsNaN(a.Jitter) {
		return fmt.Errorf("augment: jitter %v outside [0, 1)", a.Jitter)
	}
	return nil
}

// Apply augments the size x size x 3 HWC tensor t in place, drawing from rng.
// scratch (grown and returned) avoids an allocation per call. The number of
// draws from rng does not depend on the tensor, so a given rng state always
// gives the same transform.
func (a Augment) Apply(t []float32, size int, rng *rand.Rand, scratch []float32) []float32 {
	if a.Pad > 0 {
		dx := rng.IntN(2*a.Pad+1) - a.Pad
		dy := rng.IntN(2*a.Pad+1) - a.Pad
		if dx != 0 || dy != 0 {
			if cap(scratch) < len(t) {
				scratch = make([]float32, len(t))
			}
			scratch = scratch[:len(t)]
			copy(scratch, t)
			Shift(t, scratch, size, dx, dy)
		}
	}
	if a.HFlip && rng.IntN(2) == 1 {
		FlipH(t, size)
	}
	if a.VFlip && rng.IntN(2) == 1 {
		FlipV(t, size)
	}
	if a.Transpose && rng.IntN(2) == 1 {
		Transpose(t, size)
	}
	if a.Jitter > 0 {
		for c := range 3 {
			scale := float32(1 + a.Jitter*(2*rng.Float64()-1))
			offset := float32(a.Jitter * (2*rng.Float64() - 1))
			for i := c; i < len(t); i += 3 {
				t[i] = t[i]*scale + offset
			}
		}
	}
	return scratch
}

// Transpose swaps the rows and columns of the size x size x 3 tensor t in
// place.
func Transpose(t []float32, size int) {
	for y := 0; y < size; y++ {
		for x := y + 1; x < size; x++ {
			a, b := t[(y*size+x)*3:], t[(x*size+y)*3:]
			a[0], b[0] = b[0], a[0]
			a[1], b[1] = b[1], a[1]
			a[2], b[2] = b[2], a[2]
		}
	}
}

// Shift writes into dst the size x size x 3 tensor src moved by (dx, dy)
// pixels: dst(x, y) = src(x+dx, y+dy), zero where that falls outside src.
// It equals cropping a zero-padded src at offset (pad+dx, pad+dy).
func Shift(dst, src []float32, size, dx, dy int) {
	for y := 0; y < size; y++ {
		row := dst[y*size*3 : (y+1)*size*3]
		sy := y + dy
		if sy < 0 || sy >= size {
			clear(row)
			continue
		}
		for x := 0; x < size; x++ {
			sx := x + dx
			d := row[x*3 : x*3+3]
			if sx < 0 || sx >= size {
				d[0], d[1], d[2] = 0, 0, 0
				continue
			}
			s := src[(sy*size+sx)*3:]
			d[0], d[1], d[2] = s[0], s[1], s[2]
		}
	}
}

// FlipH mirrors the size x size x 3 tensor t left-right in place.
func FlipH(t []float32, size int) {
	for y := 0; y < size; y++ {
		row := t[y*size*3 : (y+1)*size*3]
		for i, j := 0, size-1; i < j; i, j = i+1, j-1 {
			a, b := row[i*3:i*3+3], row[j*3:j*3+3]
			a[0], b[0] = b[0], a[0]
			a[1], b[1] = b[1], a[1]
			a[2], b[2] = b[2], a[2]
		}
	}
}

// FlipV mirrors the size x size x 3 tensor t top-bottom in place.
func FlipV(t []float32, size int) {
	w := size * 3
	for i, j := 0, size-1; i < j; i, j = i+1, j-1 {
		a, b := t[i*w:(i+1)*w], t[j*w:(j+1)*w]
		for k := range a {
			a[k], b[k] = b[k], a[k]
		}
	}
}
