package realeval

import "math"

// Colour jitter: the hue and saturation changes that cameras' colour
// rendering, phones' "vivid" and "natural" modes and image tools'
// augmentations (a hue turned by up to 25 degrees, saturation 25 % up or
// down: the sticky cards' source dataset holds such copies of its photos)
// make. Done in HSV, value kept; see Perturbations.

// hsvJitter returns fn for photometric: hue turned by dh degrees and
// saturation times ks (clipped at 1).
func hsvJitter(dh, ks float64) func(r, g, b float64) (float64, float64, float64) {
	return func(r, g, b float64) (float64, float64, float64) {
		h, s, v := toHSV(r, g, b)
		return fromHSV(math.Mod(h+dh+360, 360), min(1, s*ks), v)
	}
}

// toHSV returns hue in degrees [0, 360), saturation in [0, 1] and value
// (the largest channel) of an RGB colour.
func toHSV(r, g, b float64) (h, s, v float64) {
	v = max(r, g, b)
	d := v - min(r, g, b)
	if v > 0 {
		s = d / v
	}
	switch {
	case d == 0:
		return 0, s, v
	case v == r:
		h = math.Mod((g-b)/d+6, 6)
	case v == g:
		h = (b-r)/d + 2
	default:
		h = (r-g)/d + 4
	}
	return 60 * h, s, v
}

// fromHSV is toHSV's inverse.
func fromHSV(h, s, v float64) (r, g, b float64) {
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := v - c
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	return r + m, g + m, b + m
}
