package detect

import "image"

// Pale insects drawn by their outline. A white micro-moth resting on a
// white sheet differs from it only along its outline, its legs and at its
// eye and tail: on ../shared/realframes' sequential frames two such moths
// (three boxes over frames 71 and 72) reach a darkest working cell of
// 0.27-0.28 against the seed (StrongThreshold, 0.30), so they were never
// refilled and were missed; one of them, on the clipped part of the sheet,
// is two small pieces in the mask (its eye and its tail), its outline
// between them at 0.7-1.0 of the foreground's threshold.
//
// So on a light sheet the pieces of such an insect are joined along its
// outline (joinOutlines), and a component of outlineMinMM2 or more, clear
// of the frame's border, whose darkest cell reaches outlineSeed of the
// seed is refilled too, and kept when its box holds sharp dark strokes
// (outlined). Lowering the seed alone finds both moths, and also a faint
// reddish stain on panama's sheet, a not_insect that would be on every
// later frame of that trap; a stain's dye darkens the sheet smoothly. The
// strokes: the share of a box's pixels darker than their 5 x 5 mean by
// more than the ring 5-20 px around the box has in its darkest hundredth,
// over that hundredth. Measured: the two moths 5.6 and 4.5, panama's stain
// 2.2 and vermont's 1.7 (a slender insect on panama's sheet, seeded as it
// is, 2.7). Without the border rule, under blur the burned-in timestamps
// (cut by the frame's border) came in this way.
const (
	outlineSeed    = 0.8
	outlineMinMM2  = 5
	outlineStrokes = 3.5
)

// outlined reports whether box on img holds sharp dark strokes against
// the ring around it (see above).
func outlined(img image.Image, box image.Rectangle) bool {
	outer := box.Inset(-22).Intersect(img.Bounds())
	w, h := outer.Dx(), outer.Dy()
	if w < 5 || h < 5 {
		return false
	}
	lum, _ := boxLuma(img, outer)
	sat := make([]int32, (w+1)*(h+1)) // summed-area table for the 5 x 5 means
	for y := range h {
		for x := range w {
			sat[(y+1)*(w+1)+x+1] = int32(lum[y*w+x]) + sat[y*(w+1)+x+1] + sat[(y+1)*(w+1)+x] - sat[y*(w+1)+x]
		}
	}
	stroke := func(x, y int) float32 { // how much darker than its 5 x 5 mean
		x0, y0, x1, y1 := max(0, x-2), max(0, y-2), min(w, x+3), min(h, y+3)
		s := sat[y1*(w+1)+x1] - sat[y0*(w+1)+x1] - sat[y1*(w+1)+x0] + sat[y0*(w+1)+x0]
		return float32(s)/float32((x1-x0)*(y1-y0)) - float32(lum[y*w+x])
	}
	near := box.Inset(-5)
	var ring, in []float32
	for y := range h {
		for x := range w {
			switch p := image.Pt(outer.Min.X+x, outer.Min.Y+y); {
			case p.In(box):
				in = append(in, stroke(x, y))
			case !p.In(near):
				ring = append(ring, stroke(x, y))
			}
		}
	}
	if len(ring) < 100 || len(in) == 0 {
		return false
	}
	t := selectK(ring, len(ring)*99/100)
	n := 0
	for _, v := range in {
		if v > t {
			n++
		}
	}
	return float64(n) >= outlineStrokes*0.01*float64(len(in))
}

// outlineLow is the level, over a cell's foreground threshold, down to
// which joinOutlines follows a pale insect's outline between its pieces.
const outlineLow = 0.6

// joinOutlines joins, on a light sheet, the pieces of a pale insect drawn
// by its outline: its eye and tail pass the foreground's threshold, the
// thin outline between them reaches 0.7-1.0 of it (sequential's frames),
// so the mask holds two small pieces where a person sees one moth. Each
// 8-connected region of cells at outlineLow of their threshold or more
// (norm) that holds no seeded cell (dark under seed) but holds cells at
// outlineSeed of it or more and at least minCells of the mask's (the
// pieces: outlineMinMM2; the cells between them do not count, or a speck
// joined with the sheet's weave around it passes), clear of the frame's
// border, becomes one component in place of the mask's pieces inside it
// (labels relabelled from *last up). Whether it is kept is for the seed
// test (pieces) and outlined to say.
func joinOutlines(labels []int32, comps []component, norm, dark []float32, w, h, minCells int, seed float32, last *int32) []component {
	low := make([]uint8, w*h)
	for i, v := range norm {
		if v >= outlineLow {
			low[i] = 1
		}
	}
	lab, regions := labelComponents(low, dark, w, h)
	mask := make([]int, len(regions)) // each region's cells of the mask's pieces
	for i, k := range lab {
		if k != 0 && labels[i] != 0 {
			mask[k-1]++
		}
	}
	joined := map[int32]int32{} // a region's label -> its new label
	for k, r := range regions {
		if r.inside(w, h) && mask[k] >= minCells && r.maxDark < seed && r.maxDark >= outlineSeed*seed {
			*last++
			joined[r.label] = *last
		}
	}
	if len(joined) == 0 {
		return comps
	}
	gone := map[int32]bool{}
	for i, k := range lab {
		if nl, ok := joined[k]; ok {
			if labels[i] != 0 {
				gone[labels[i]] = true
			}
			labels[i] = nl
		}
	}
	kept := comps[:0]
	for _, c := range comps {
		if !gone[c.label] {
			kept = append(kept, c)
		}
	}
	for _, r := range regions { // in label order, whatever the map's
		if nl, ok := joined[r.label]; ok {
			r.label = nl
			kept = append(kept, r)
		}
	}
	return kept
}
