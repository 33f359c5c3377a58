package trap

import (
	"image"
	"math"
	"math/rand/v2"
	"time"

	"github.com/trapnet/trapnet/synth"
	"github.com/trapnet/trapnet/synth/insect"
	"github.com/trapnet/trapnet/synth/raster"
)

// renderFrame draws independent frame i and fills ft.
func renderFrame(o *Options, i int, ft *Frame) *image.RGBA {
	r := rand.New(rand.NewPCG(splitmix(o.Seed, uint64(i)), 0xf4a3e))
	cat := o.Catalog
	regIdx := r.IntN(len(cat.Regions))
	if o.Region >= 0 {
		regIdx = o.Region
	}
	reg := cat.Regions[regIdx]
	*ft = Frame{
		File:        frameName(i),
		Time:        o.Start.Add(time.Duration(i)*15*time.Minute + time.Duration(r.IntN(60))*time.Second).Format(time.RFC3339),
		Lat:         math.Round((reg.Lat+r.NormFloat64()*0.05)*1e4) / 1e4,
		Lon:         math.Round((reg.Lon+r.NormFloat64()*0.05)*1e4) / 1e4,
		Country:     reg.Country,
		Province:    reg.Province,
		PixelsPerMM: o.PixelsPerMM,
		Background:  o.Background,
		Specimens:   []Specimen{},
	}
	if ft.Background == BackgroundMixed {
		ft.Background = []string{BackgroundSheet, BackgroundSticky}[r.IntN(2)]
	}
	img := image.NewRGBA(image.Rect(0, 0, o.Width, o.Height))
	sc := drawScene(img, r, ft.Background, o.PixelsPerMM, o.PhotoCard)
	local, all := speciesPools(cat, regIdx, o.SeenOnly)
	n := o.MinSpecimens + r.IntN(o.MaxSpecimens-o.MinSpecimens+1)
	placed := append([]image.Rectangle{}, sc.keepOut...)
	for k := 0; k < n; k++ {
		if s, box, ok := placeSpecimen(r, img, o, sc.area, local, all, placed); ok {
			placed = append(placed, box)
			ft.Specimens = append(ft.Specimens, s)
		}
	}
	if o.PhotoCard && ft.Background == BackgroundSticky && !o.SeenOnly {
		for k, n := 0, whiteflyCount(r, 0, sc.area, uni(r, whiteflyMinDensity, whiteflyMaxDensity)); k < n; k++ {
			if s, box, ok := placeWhitefly(r, img, o.PixelsPerMM, sc.area, placed); ok {
				placed = append(placed, box)
				ft.Specimens = append(ft.Specimens, s)
			}
		}
	}
	if r.IntN(2) == 0 {
		raster.BoxBlur3(img)
	}
	raster.AddNoise(img, r, uni(r, 1.5, 3.5))
	white := sessionWhite(splitmix(o.Seed, uint64(i)), ft.Background, img)
	white.apply(img)
	ft.WhitePoint = int(white.white)
	sc.finish(img, ft)
	return img
}

// placeSpecimen draws a species (from local with probability 0.7, else
// from all), a size and a pose, and draws the specimen on img at a free
// spot inside area. It returns its truth (without ID and FirstFrame) and the box,
// plus margin, that later specimens must not overlap; ok is false when no
// free spot was found.
func placeSpecimen(r *rand.Rand, img *image.RGBA, o *Options, area image.Rectangle, local, all []int, placed []image.Rectangle) (s Specimen, keepOut image.Rectangle, ok bool) {
	pool := all
	if len(local) > 0 && r.Float64() < 0.7 {
		pool = local
	}
	sp := &o.Catalog.Species[pool[r.IntN(len(pool))]]
	length := sp.LengthMM * math.Exp(r.NormFloat64()*0.07)
	p := insect.RandomPose(r)
	lpx := length * o.PixelsPerMM
	x0, y0, x1, y1 := insect.MeasureSpecimen(&sp.Appearance, p)
	bw, bh := (x1-x0)*lpx, (y1-y0)*lpx
	margin := math.Max(6, 0.08*math.Max(bw, bh))
	pl, box, ok := findSpot(r, area, bw, bh, margin, placed)
	if !ok {
		return Specimen{}, image.Rectangle{}, false
	}
	pl.CX -= (x0 + x1) / 2 * lpx
	pl.CY -= (y0 + y1) / 2 * lpx
	pl.LengthPx = lpx
	got, body := insect.DrawSpecimenBoxes(img, &sp.Appearance, p, pl)
	ang := p.Angle * 180 / math.Pi
	return Specimen{
		Box: [4]int{got.Min.X, got.Min.Y, got.Max.X, got.Max.Y}, BodyBox: [4]int{body.Min.X, body.Min.Y, body.Max.X, body.Max.Y}, SpeciesID: sp.ID, Species: sp.Name,
		Genus: sp.Genus, Subfamily: sp.Subfamily, Family: sp.Family, Order: sp.Order, Class: "Insecta", Phylum: "Arthropoda",
		Group: sp.Group, Seen: sp.Seen,
		LengthMM: math.Round(length*1000) / 1000, AreaMM2: math.Round(sp.SpecimenAreaMM2(length)*1000) / 1000,
		AngleDeg: math.Round(math.Mod(ang, 360)*10) / 10, Center: [2]float64{math.Round(pl.CX*10) / 10, math.Round(pl.CY*10) / 10},
	}, box.Inset(-int(margin)), true
}

// speciesPools returns the species living in region reg and all eligible
// species.
func speciesPools(cat *synth.Catalog, reg int, seenOnly bool) (local, all []int) {
	for i := range cat.Species {
		if seenOnly && !cat.Species[i].Seen {
			continue
		}
		all = append(all, i)
		if cat.Species[i].Region == reg {
			local = append(local, i)
		}
	}
	return local, all
}

// findSpot looks for a free position for a w x h box (plus margin) inside
// area that overlaps none of placed. It returns the box centre.
func findSpot(r *rand.Rand, area image.Rectangle, w, h, margin float64, placed []image.Rectangle) (insect.Placement, image.Rectangle, bool) {
	for try := 0; try < 60; try++ {
		lo, hiX, hiY := float64(area.Min.X)+margin+w/2, float64(area.Max.X)-margin-w/2, float64(area.Max.Y)-margin-h/2
		loY := float64(area.Min.Y) + margin + h/2
		if hiX <= lo || hiY <= loY {
			return insect.Placement{}, image.Rectangle{}, false
		}
		cx, cy := uni(r, lo, hiX), uni(r, loY, hiY)
		box := image.Rect(int(math.Floor(cx-w/2))-1, int(math.Floor(cy-h/2))-1, int(math.Ceil(cx+w/2))+1, int(math.Ceil(cy+h/2))+1)
		if !overlapsAny(box, placed) {
			return insect.Placement{CX: cx, CY: cy}, box, true
		}
	}
	return insect.Placement{}, image.Rectangle{}, false
}
