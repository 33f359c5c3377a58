package detect

// fgCells is the foreground stage's result, per working cell.
type fgCells struct {
	mask         []uint8   // 1: foreground
	dark, norm   []float32 // the excess rescaled for seeding, and over the cell's threshold
	excess       plane     // the deviation above the bare surface's level
	level, scale plane     // the bare surface's local deviation level and sigma (sheetStats)
}

// foreground measures each cell's deviation from the background and
// thresholds it against the bare surface's local level and noise.
func (wp *work) foreground(o Options) fgCells {
	w, h := wp.w, wp.h
	raw := newPlane(w, h)
	inRows(h, func(y0, y1 int) {
		for i := y0 * w; i < y1*w; i++ {
			raw.v[i] = wp.tint.deviation(i, wp.py.v[i], wp.pcb.v[i], wp.pcr.v[i], wp.bg.v[i])
			if wp.card != nil && !wp.card[i] || wp.off != nil && wp.off[i] { // off the card or the sheet
				raw.v[i] = 0
			}
		}
	})
	// On a card, specimens are small (whiteflies: 4-12 px at a phone
	// photo's resolution) and the surface is smooth: the blur, which
	// would flatten them, only adds (the larger of raw and blurred), and
	// small components are seeded at cardSeedFraction of StrongThreshold.
	smooth := boxBlur3(raw)
	if wp.card != nil {
		inRows(h, func(y0, y1 int) {
			for i := y0 * w; i < y1*w; i++ {
				smooth.v[i] = max(smooth.v[i], raw.v[i])
			}
		})
	}
	fg := fgCells{mask: make([]uint8, w*h), dark: make([]float32, w*h), norm: make([]float32, w*h)}
	fg.level, fg.scale = sheetStats(smooth, wp.block, wp.card)
	// A cell is foreground when its smoothed deviation exceeds the bare
	// sheet's local level by WeakThreshold and by NoiseSigmas local
	// sigmas; dark holds the excess rescaled so that StrongThreshold
	// means "StrongThreshold and 2*NoiseSigmas sigmas above the level".
	// On a sheet the camera clipped, the foreground's floor is lower
	// where the background is the white point (clip.go).
	ks := float32(o.NoiseSigmas)
	var white whitePoint // a card is never taken for clipped
	if wp.card == nil {
		white = clipLevel(wp.py)
	}
	fg.excess = smooth // from here on, the deviation above the sheet's level
	inRows(h, func(y0, y1 int) {
		for i := y0 * w; i < y1*w; i++ {
			e := smooth.v[i] - fg.level.v[i]
			fg.excess.v[i] = e
			thr := max(white.floor(wp.bg.v[i])*float32(o.WeakThreshold), ks*fg.scale.v[i])
			if e > thr {
				fg.mask[i] = 1
			}
			fg.norm[i] = e / thr
			// dark is rescaled so that o.StrongThreshold is the seed test.
			fg.dark[i] = e * float32(o.StrongThreshold) / max(float32(o.StrongThreshold), 2*ks*fg.scale.v[i])
		}
	})
	return fg
}
