package detect

import (
	"math"
	"slices"
)

// A pale insect against a dark one. splitComponents finds touching
// specimens by their separate dark cores, and a pale moth resting against
// a dark beetle has no core of its own at any level, so the two stay one
// component. splitPale divides a component's cells in two by darkness
// (Otsu's threshold on their deviation): the darker class's largest blob is
// one insect's core, and the paler cells beyond that blob's rim, when they
// make one large piece, are the other's. Every cell goes to the nearer core,
// and the split stands only when it looks like two insects side by side:
// both parts large and solid (each fills most of its convex hull: a moth's
// pale wings around its dark body make a part with a notch or a hole, and
// pale wings on both sides of a body make two pieces, not one), touching
// along a short stretch, and fainter where they meet than either is on
// average (two insects meet at their wing margins; one moth's dark and
// pale halves meet at a step).

const (
	// paleMinCells is the least size, in working cells, of each part.
	paleMinCells = 40
	// palePiece is the least size of a pale piece that counts when the
	// pale cells are more than one piece (wings on both sides of a body).
	palePiece = 12
	// paleRim is how far, in working cells, the darker core's blurred rim
	// reaches: paler cells within it are not the other insect's core.
	paleRim = 2
	// paleSolid is the least share of its convex hull each part fills.
	paleSolid = 0.8
	// paleNeck bounds the contact between the parts, in units of the square
	// root of the smaller part's area.
	paleNeck = 1.35
	// paleValley bounds the mean deviation where the parts meet, over the
	// fainter part's mean.
	paleValley = 0.9
)

// splitPale returns c split into a darker and a paler part (labels
// relabelled in place), or nil when c is not two insects by the tests
// above.
func splitPale(labels []int32, c component, norm, dark []float32, w int, next *int32) []component {
	if c.n < 2*paleMinCells {
		return nil
	}
	bw, bh := c.x1-c.x0, c.y1-c.y0
	val := make([]float64, bw*bh) // the deviation, 0 off c
	var vs []float64
	for j := range val {
		if i := (j/bw+c.y0)*w + j%bw + c.x0; labels[i] == c.label {
			val[j] = math.Min(float64(norm[i]), 8)
			vs = append(vs, val[j])
		}
	}
	if len(vs) < 2*paleMinCells {
		return nil // c's cells relabelled since it was counted
	}
	t := otsu(vs)
	core := blobsOf(bw, bh, func(j int) bool { return val[j] > t })
	a := core.largest()
	if a == 0 {
		return nil
	}
	// The paler cells beyond the core's rim.
	inCore := make([]bool, bw*bh)
	for j, id := range core.id {
		inCore[j] = id == a
	}
	rim := dilate(inCore, bw, bh, paleRim)
	pale := blobsOf(bw, bh, func(j int) bool { return val[j] > 0 && val[j] <= t && !rim[j] })
	b, large := pale.largest(), 0
	for _, n := range pale.size {
		if n >= palePiece {
			large++
		}
	}
	if b == 0 || large != 1 {
		return nil // no pale piece, or pale pieces all round a dark body
	}
	owner := make([]int32, bw*bh)
	for j := range owner {
		if core.id[j] == a {
			owner[j] = 1
		} else if pale.id[j] == b {
			owner[j] = 2
		}
	}
	growParts(owner, bw, bh, func(j int) bool { return val[j] > 0 })
	if !twoInsects(owner, val, bw, bh) {
		return nil
	}
	return relabel(labels, c, owner, dark, w, next)
}

// twoInsects applies splitPale's tests to the parts 1 and 2 of owner.
func twoInsects(owner []int32, val []float64, bw, bh int) bool {
	var n [3]int
	var sum [3]float64
	var meet, meetSum float64
	touch1 := 0
	spans := [3][]span{}
	for y := range bh {
		for x := range bw {
			j := y*bw + x
			o := owner[j]
			if o == 0 {
				continue
			}
			n[o]++
			sum[o] += val[j]
			if s := spans[o]; len(s) > 0 && s[len(s)-1].y == y {
				s[len(s)-1].hi = x
			} else {
				spans[o] = append(spans[o], span{y: y, lo: x, hi: x})
			}
			if touchesOther(owner, bw, bh, j) {
				meet++
				meetSum += val[j]
				if o == 1 {
					touch1++
				}
			}
		}
	}
	if n[1] < paleMinCells || n[2] < paleMinCells || meet == 0 {
		return false
	}
	for o := 1; o <= 2; o++ {
		if float64(n[o]) < paleSolid*hullArea(spans[o]) {
			return false
		}
	}
	fainter := math.Min(sum[1]/float64(n[1]), sum[2]/float64(n[2]))
	return float64(touch1) <= paleNeck*math.Sqrt(float64(min(n[1], n[2]))) && meetSum/meet < paleValley*fainter
}

// blobSet is the 8-connected blobs of a working box: id per cell (0 =
// none) and size per id (id-1).
type blobSet struct {
	id   []int32
	size []int
}

// largest returns the id of the largest blob, 0 if none.
func (s blobSet) largest() int32 {
	var best int32
	for k, n := range s.size {
		if best == 0 || n > s.size[best-1] {
			best = int32(k + 1)
		}
	}
	return best
}

// blobsOf labels the 8-connected blobs of the cells of a bw x bh box for
// which in holds.
func blobsOf(bw, bh int, in func(j int) bool) blobSet {
	s := blobSet{id: make([]int32, bw*bh)}
	var stack []int
	for j := range s.id {
		if s.id[j] != 0 || !in(j) {
			continue
		}
		id := int32(len(s.size) + 1)
		s.id[j] = id
		var n int
		n, stack = flood8(j, bw, bh, stack, func(q int) bool {
			if s.id[q] == 0 && in(q) {
				s.id[q] = id
				return true
			}
			return false
		})
		s.size = append(s.size, n)
	}
	return s
}

// otsu returns the threshold that best divides vs into two classes
// (Otsu's between-class variance): the classes are <= and > it.
func otsu(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	var total float64
	for _, v := range s {
		total += v
	}
	best, thr := -1.0, s[0]
	var below float64
	for k := 1; k < len(s); k++ {
		below += s[k-1]
		if s[k] == s[k-1] {
			continue
		}
		wa, wb := float64(k), float64(len(s)-k)
		d := below/wa - (total-below)/wb
		if v := wa * wb * d * d; v > best {
			best, thr = v, s[k-1]
		}
	}
	return thr
}
