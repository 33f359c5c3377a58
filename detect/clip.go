package detect

import "math"

// A clipped sheet. A camera exposed for the lamp clips the bright sheet at
// its white point, and a clipped patch of sheet has no texture and no
// noise left: every pixel holds the white point (the AMI traps of
// ../shared/realframes clip at luma 228: half of sequential's cells,
// a fifth of two of vermont's, 8 % of cyprus's). There the foreground's
// floor (WeakThreshold), which keeps a textured or noisy sheet's weave
// and speckle out, is what cuts a pale moth short: its dark parts are
// found and its pale wings (deviating 0.06-0.15) are not, so the moth is
// missed or reported in pieces. On cells whose background is the white
// point the floor is clipFloor of WeakThreshold (the noise term,
// NoiseSigmas local sigmas, still applies), so a specimen seeded there
// grows over its pale parts; the seed (StrongThreshold) is unchanged, so
// nothing paler is found on its own.
//
// On ../shared/realframes's 13 sheets: recall 0.949 -> 0.960, precision
// 0.943 -> 0.949 (sequential 0.918 / 0.905 -> 0.945 / 0.932), count error
// at most 0.07 as before. Recall is 0.954-0.960 at every floor tried
// (0.4-0.8), but whether a pale moth or a crane fly comes out whole swings
// with it (at 0.55, 0.65, 0.7 and 0.8 one frame's count is 13-21 % off;
// bench/REPORT.md). Lowering the seed as well found one pale moth more but
// seeded the frames' debris and, under haze, pieces of a crane fly.
//
// The white point is found as a spike in the histogram of the working
// cells' luma (rounded): a level holding clipMinShare of the cells or more
// and clipSpike times as many as either neighbouring level. Sheets that
// are not clipped have no spike (denmark's and vermont 215's top levels
// each hold 1-2 % of the cells, their neighbours as many); panama's
// 228 holds 3.9 %, its neighbour 3.3 %: a few patches, not a clipped
// sheet.
const (
	clipMinShare = 0.02
	clipSpike    = 2.0
	clipFloor    = 0.6
)

// whitePoint is where a sheet was clipped (ok false: not clipped, or a
// card).
type whitePoint struct {
	level float32
	ok    bool
}

// floor returns the factor of the foreground's floor on a cell whose
// background luma is bg: clipFloor on the white point, else 1.
func (wpt whitePoint) floor(bg float32) float32 {
	if wpt.ok && bg >= wpt.level-0.5 {
		return clipFloor
	}
	return 1
}

// clipLevel returns the working plane's white point (see above).
func clipLevel(py plane) whitePoint {
	var h [257]int
	for _, v := range py.v {
		h[min(256, max(0, int(math.Round(float64(v)))))]++
	}
	n := len(py.v)
	for v := 255; v >= 1; v-- {
		if float64(h[v]) >= clipMinShare*float64(n) {
			return whitePoint{level: float32(v), ok: float64(h[v]) >= clipSpike*float64(max(h[v-1], h[v+1]))}
		}
	}
	return whitePoint{}
}
