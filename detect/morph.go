package detect

// Binary masks are []uint8 of w*h values, 1 = foreground.

// erode3 and dilate3 are binary 3x3 erosion and dilation, done separably
// (horizontal then vertical). Outside the image counts as background for
// dilation and as foreground for erosion (so borders do not eat objects).
func erode3(m []uint8, w, h int, tmp []uint8) []uint8 { return morph3(m, w, h, tmp, true) }

func dilate3(m []uint8, w, h int, tmp []uint8) []uint8 { return morph3(m, w, h, tmp, false) }

func morph3(m []uint8, w, h int, tmp []uint8, erode bool) []uint8 {
	op := func(a, b, c uint8) uint8 {
		if erode {
			return a & b & c
		}
		return a | b | c
	}
	edge := uint8(0)
	if erode {
		edge = 1
	}
	out := make([]uint8, len(m))
	for y := range h {
		r := m[y*w : y*w+w]
		t := tmp[y*w : y*w+w]
		for x := range w {
			l, c, rr := edge, r[x], edge
			if x > 0 {
				l = r[x-1]
			}
			if x < w-1 {
				rr = r[x+1]
			}
			t[x] = op(l, c, rr)
		}
	}
	for y := range h {
		o := out[y*w : y*w+w]
		c := tmp[y*w : y*w+w]
		for x := range w {
			u, d := edge, edge
			if y > 0 {
				u = tmp[(y-1)*w+x]
			}
			if y < h-1 {
				d = tmp[(y+1)*w+x]
			}
			o[x] = op(u, c[x], d)
		}
	}
	return out
}

// openClose removes foreground specks narrower than 3 pixels (opening) and
// then fills gaps narrower than 3 pixels (closing).
func openClose(m []uint8, w, h int) []uint8 {
	tmp := make([]uint8, len(m))
	m = dilate3(erode3(m, w, h, tmp), w, h, tmp)
	return erode3(dilate3(m, w, h, tmp), w, h, tmp)
}
