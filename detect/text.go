package detect

import (
	"image"
	"sort"
)

// Printed text. A label on the sheet or a card's printing (a trap's name,
// a date) is dark ink in strokes, and a word of touching letters is one
// piece: at 5 mm lettering, a label of two lines gave 6-8 pieces of 40 px
// or more on every light sheet of ../shared/realframes, each counted as an
// insect. A line of text is textMinPieces or more such pieces side by
// side: each thin for its height (ThicknessPx at most textThin of it) and
// dark (Contrast at least textDark), their heights within textHeightTol of
// each other, their tops and bottoms level to within textHeightTol of the
// height, and the gaps between them at most textGap heights (a ruler's
// numbers stand 2-3 heights apart); with them go the smaller pieces inside
// the line (hyphens, dots). Insects are
// thicker for their height (a moth's body and wings fill it), and rarely
// line up three abreast, level to a few pixels.
const (
	textMinPieces = 3
	textThin      = 0.25
	textDark      = 0.5
	textHeightTol = 0.15
	textGap       = 3.5
)

// dropTextLines removes the specimens that form lines of text, written
// across the frame or up and down it.
func dropTextLines(ss []Specimen) []Specimen {
	text := make([]bool, len(ss))
	markTextLines(ss, text, func(r image.Rectangle) image.Rectangle { return r })
	markTextLines(ss, text, func(r image.Rectangle) image.Rectangle { // up and down: swap the axes
		return image.Rect(r.Min.Y, r.Min.X, r.Max.Y, r.Max.X)
	})
	kept := ss[:0]
	for i, s := range ss {
		if !text[i] {
			kept = append(kept, s)
		}
	}
	return kept
}

// markTextLines sets text[i] for the specimens in lines of text running
// along x of their boxes as view turns them.
func markTextLines(ss []Specimen, text []bool, view func(image.Rectangle) image.Rectangle) {
	var cand []int
	for i, s := range ss {
		if b := view(s.Box); s.Contrast >= textDark && s.ThicknessPx <= textThin*float64(b.Dy()) {
			cand = append(cand, i)
		}
	}
	sort.Slice(cand, func(a, b int) bool { return view(ss[cand[a]].Box).Min.X < view(ss[cand[b]].Box).Min.X })
	for k, i := range cand {
		line := []int{i}
		// A line goes on only to pieces later in the order (the first that
		// fits has the least Min.X): a piece narrower than a fifth of its
		// height fits after itself, and two such pieces after each other,
		// so looking back made the line grow without end (a grey card's
		// specks took 24 GB).
		for at := k; ; {
			c := view(ss[cand[at]].Box)
			next := -1
			for p := at + 1; p < len(cand); p++ {
				if b := view(ss[cand[p]].Box); b.Min.X >= c.Max.X-c.Dy()/5 && float64(b.Min.X-c.Max.X) <= textGap*float64(c.Dy()) && level(c, b) {
					next = p
					break
				}
			}
			if next < 0 {
				break
			}
			line, at = append(line, cand[next]), next
		}
		if len(line) >= textMinPieces {
			var box image.Rectangle
			for _, j := range line {
				text[j] = true
				box = box.Union(view(ss[j].Box))
			}
			for j, s := range ss { // punctuation: hyphens, dots
				if view(s.Box).In(box) {
					text[j] = true
				}
			}
		}
	}
}

// level reports whether boxes a and b could be words of one line: heights
// within textHeightTol of each other, tops and bottoms within
// textHeightTol of the height.
func level(a, b image.Rectangle) bool {
	h := float64(max(a.Dy(), b.Dy()))
	tol := textHeightTol * h
	return float64(abs(a.Dy()-b.Dy())) <= tol && float64(abs(a.Min.Y-b.Min.Y)) <= tol && float64(abs(a.Max.Y-b.Max.Y)) <= tol
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
