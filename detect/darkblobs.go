package detect

// darkBlob is a 4-connected blob of a mask: its box (Max exclusive) and
// its number of pixels.
type darkBlob struct {
	x0, y0, x1, y1, n int
}

// darkBlobs returns the 4-connected blobs of the w x h mask m in the
// order a raster scan meets their first pixel (top row first, then left),
// as a flood fill started at each unseen pixel of a raster scan finds
// them. It takes the runs of each row and joins the runs that share a
// column with a run of the row above (union-find, each set's root its
// first run): a few operations a run instead of a stack push a pixel
// (findCheckerboard labels every large component's dark pixels up to nine
// times).
func darkBlobs(m []bool, w, h int) []darkBlob {
	type run struct{ y, x0, x1, parent int }
	var runs []run
	find := func(i int) int {
		for runs[i].parent != i {
			runs[i].parent = runs[runs[i].parent].parent
			i = runs[i].parent
		}
		return i
	}
	above := 0 // the row above's runs are runs[above:start]
	for y := range h {
		row := m[y*w : (y+1)*w]
		start := len(runs)
		j := above // the first run above that may reach the current one
		for x := 0; x < w; {
			if !row[x] {
				x++
				continue
			}
			x0 := x
			for x < w && row[x] {
				x++
			}
			k := len(runs)
			runs = append(runs, run{y, x0, x, k})
			for j < start && runs[j].x1 <= x0 {
				j++ // ends before this run: before every later one too
			}
			for i := j; i < start && runs[i].x0 < x; i++ {
				if a, b := find(i), find(k); a != b {
					runs[max(a, b)].parent = min(a, b)
				}
			}
		}
		above = start
	}
	// A set's root is its smallest run, the first met in a raster scan, so
	// numbering the roots in run order gives the flood fill's order.
	index := make([]int, len(runs))
	var blobs []darkBlob
	for i, r := range runs {
		root := find(i)
		if root == i {
			index[i] = len(blobs)
			blobs = append(blobs, darkBlob{x0: r.x0, y0: r.y, x1: r.x1, y1: r.y + 1})
		}
		b := &blobs[index[root]]
		b.n += r.x1 - r.x0
		b.x0, b.x1 = min(b.x0, r.x0), max(b.x1, r.x1)
		b.y1 = max(b.y1, r.y+1)
	}
	return blobs
}
