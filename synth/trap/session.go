package trap

import (
	"image"
	"math"
	"math/rand/v2"
	"time"

	"github.com/trapnet/trapnet/synth"
	"github.com/trapnet/trapnet/synth/raster"
)

// trapSession is the state of one trap between frames: where it stands,
// its background, camera and the specimens caught so far.
type trapSession struct {
	o          *Options
	region     int
	lat, lon   float64
	background string
	blur       bool     // the camera is slightly out of focus
	noise      float64  // sensor noise (levels)
	white      camWhite // the camera's gain and white point (whitepoint.go)
	start      time.Time
	local, all []int // species pools
	sheet      *image.RGBA
	scene      scene
	whiteflies float64           // per megapixel of card on a PhotoCard card's first frame; 0: none
	keepOut    []image.Rectangle // boxes plus margins of the specimens so far
	specimens  []Specimen
}

// Random stream keys of a session (the second PCG word).
const (
	sessionStream   = 0x5e55_10c8
	sessionArrivals = 0x5e55_a441
	sessionCamera   = 0x5e55_ca3e
)

// newTrapSession chooses the trap's region, site, background, camera and
// start time from o.Seed and paints the empty sheet.
func newTrapSession(o *Options) *trapSession {
	r := rand.New(rand.NewPCG(splitmix(o.Seed, 0), sessionStream))
	s := &trapSession{o: o, region: o.Region}
	if s.region < 0 {
		s.region = sessionRegion(r, o.Catalog)
	}
	reg := o.Catalog.Regions[s.region]
	// One site near the region centre (the dataset's coordinates cluster
	// the same way); it does not move between frames.
	s.lat = math.Round((reg.Lat+r.NormFloat64()*0.05)*1e4) / 1e4
	s.lon = math.Round((reg.Lon+r.NormFloat64()*0.05)*1e4) / 1e4
	s.background = o.Background
	if s.background == BackgroundMixed {
		s.background = []string{BackgroundSheet, BackgroundSticky}[r.IntN(2)]
	}
	s.blur = r.IntN(2) == 0
	s.noise = uni(r, 1.5, 3.5)
	s.start = o.Start
	if s.start.IsZero() {
		s.start = seasonStart(r, reg)
	}
	s.local, s.all = speciesPools(o.Catalog, s.region, o.SeenOnly)
	s.sheet = image.NewRGBA(image.Rect(0, 0, o.Width, o.Height))
	s.scene = drawScene(s.sheet, r, s.background, o.PixelsPerMM, o.PhotoCard)
	s.keepOut = append(s.keepOut, s.scene.keepOut...)
	s.white = sessionWhite(o.Seed, s.background, s.sheet)
	if o.PhotoCard && s.background == BackgroundSticky && !o.SeenOnly {
		s.whiteflies = uni(r, whiteflyMinDensity, whiteflyMaxDensity)
	}
	return s
}

// sessionRegion picks, by r, one of the regions that are home to at least
// three seen species (else those with the most seen species).
func sessionRegion(r *rand.Rand, cat *synth.Catalog) int {
	seen := make([]int, len(cat.Regions))
	for i := range cat.Species {
		if cat.Species[i].Seen {
			seen[cat.Species[i].Region]++
		}
	}
	most := 0
	for _, n := range seen {
		most = max(most, n)
	}
	var cand []int
	for k, n := range seen {
		if n >= min(3, most) {
			cand = append(cand, k)
		}
	}
	return cand[r.IntN(len(cand))]
}

// seasonStart returns 21:00 local mean solar time (in UTC) on a night of
// the flight season at reg: June-July north of the tropics,
// December-January south of them, March-October in the tropics.
func seasonStart(r *rand.Rand, reg synth.Region) time.Time {
	first, days := time.Date(2024, 3, 1, 21, 0, 0, 0, time.UTC), 245
	switch {
	case reg.Lat > 23.5:
		first, days = time.Date(2024, 6, 1, 21, 0, 0, 0, time.UTC), 61
	case reg.Lat < -23.5:
		first, days = time.Date(2024, 12, 1, 21, 0, 0, 0, time.UTC), 62
	}
	offset := time.Duration(math.Round(reg.Lon/15*60)) * time.Minute // local solar time - UTC
	return first.AddDate(0, 0, r.IntN(days)).Add(-offset)
}

// next adds the specimens arriving on frame i (all of frame 0's), fills
// ft and returns a copy of the sheet as it now is, before camera effects.
// It must be called for i = 0, 1, ... in order.
func (s *trapSession) next(i int, ft *Frame) *image.RGBA {
	o := s.o
	r := rand.New(rand.NewPCG(splitmix(o.Seed, uint64(i)), sessionArrivals))
	n := o.MinSpecimens + r.IntN(o.MaxSpecimens-o.MinSpecimens+1)
	if i > 0 {
		n = o.NewMin + r.IntN(o.NewMax-o.NewMin+1)
	}
	file := frameName(i)
	added := 0
	for k := 0; k < n; k++ {
		sp, box, ok := placeSpecimen(r, s.sheet, o, s.scene.area, s.local, s.all, s.keepOut)
		if !ok {
			continue // the trap is full around here
		}
		sp.ID, sp.FirstFrame = specimenID(len(s.specimens)+1), file
		s.keepOut = append(s.keepOut, box)
		s.specimens = append(s.specimens, sp)
		added++
	}
	if s.whiteflies > 0 {
		for k, n := 0, whiteflyCount(r, i, s.scene.area, s.whiteflies); k < n; k++ {
			sp, box, ok := placeWhitefly(r, s.sheet, o.PixelsPerMM, s.scene.area, s.keepOut)
			if !ok {
				continue
			}
			sp.ID, sp.FirstFrame = specimenID(len(s.specimens)+1), file
			s.keepOut = append(s.keepOut, box)
			s.specimens = append(s.specimens, sp)
			added++
		}
	}
	*ft = Frame{
		File:        file,
		Time:        s.start.Add(time.Duration(i) * FrameInterval).UTC().Format(time.RFC3339),
		Lat:         s.lat,
		Lon:         s.lon,
		Country:     o.Catalog.Regions[s.region].Country,
		Province:    o.Catalog.Regions[s.region].Province,
		PixelsPerMM: o.PixelsPerMM,
		Background:  s.background,
		New:         added,
		Specimens:   append([]Specimen{}, s.specimens...),
	}
	img := image.NewRGBA(s.sheet.Rect)
	copy(img.Pix, s.sheet.Pix)
	return img
}

// camera applies frame i's exposure change (within ±1.5 %), the session's
// blur, fresh sensor noise and the camera's white point to img, then
// burns in the timestamp (on sheets) and records the scene's objects in
// ft.
func (s *trapSession) camera(i int, img *image.RGBA, ft *Frame) {
	r := rand.New(rand.NewPCG(splitmix(s.o.Seed, uint64(i)), sessionCamera))
	raster.ScaleLevels(img, uni(r, 0.985, 1.015))
	if s.blur {
		raster.BoxBlur3(img)
	}
	raster.AddNoise(img, r, s.noise*uni(r, 0.9, 1.1))
	s.white.apply(img)
	ft.WhitePoint = int(s.white.white)
	s.scene.finish(img, ft)
}
