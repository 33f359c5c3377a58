package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/trapnet/trapnet/synth/insect"
)

// Region is a collection area shared by many species: a country and
// province with a few trap sites around a centre.
type Region struct {
	Country  string  `json:"country"`
	Province string  `json:"province_state"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
}

// regionPool lists the regions handed out, in order.
var regionPool = []Region{
	{"Canada", "Ontario", 43.53, -80.23},
	{"Costa Rica", "Guanacaste", 10.84, -85.61},
	{"South Africa", "Western Cape", -33.93, 18.86},
	{"Pakistan", "Punjab", 31.52, 74.35},
	{"Canada", "British Columbia", 49.25, -123.1},
	{"Australia", "Queensland", -19.26, 146.82},
	{"Germany", "Bavaria", 48.14, 11.58},
	{"Thailand", "Chiang Mai", 18.79, 98.98},
	{"Kenya", "Nairobi", -1.29, 36.82},
	{"Brazil", "Amazonas", -3.12, -60.02},
}

// Look-alike group modes: how the members of a group can be told apart.
const (
	// ModeSingle: a species without look-alikes.
	ModeSingle = "single"
	// ModeRegion: members look the same and have the same size but live in
	// different regions.
	ModeRegion = "region"
	// ModeSize: members look the same and live in the same region but
	// differ clearly in body size.
	ModeSize = "size"
	// ModeRegionSize: a triple where two members share a region and differ
	// in size and the third has the first one's size in another region.
	ModeRegionSize = "region+size"
)

// Species is one species of the synthetic world.
type Species struct {
	// ID is the index in Catalog.Species.
	ID int `json:"id"`
	// Name is the binomial ("Genus epithet"), as in BIOSCAN-5M's species column.
	Name string `json:"species"`
	// Order, Family, Subfamily (may be empty) and Genus are the taxonomy
	// above species; phylum and class are always Arthropoda and Insecta.
	Order     string `json:"order"`
	Family    string `json:"family"`
	Subfamily string `json:"subfamily"`
	Genus     string `json:"genus"`
	// BIN is the species' BOLD-style barcode index number.
	BIN string `json:"dna_bin"`
	// Region indexes Catalog.Regions: where most of its specimens come from.
	Region int `json:"region"`
	// SizeClass indexes the size ladder (small, medium, large: mean
	// silhouette areas 1, 3.1 and 9.4 mm², lengths about 1.5, 2.6, 4.6 mm).
	SizeClass int `json:"size_class"`
	// LengthMM is the mean body length in millimetres.
	LengthMM float64 `json:"length_mm"`
	// AreaMM2 is the mean silhouette area (body, wings, legs) in mm².
	AreaMM2 float64 `json:"area_mm2"`
	// Group indexes Catalog.Groups.
	Group int `json:"group"`
	// Seen is false for species that only occur in the unseen splits.
	Seen bool `json:"seen"`
	// Appearance is the species' look, as synth/insect draws it.
	Appearance insect.Appearance `json:"appearance"`

	areaUnit float64 // silhouette area for body length 1
	barcode  []byte
}

// SpecimenAreaMM2 returns the silhouette area in mm² (body, wings, legs)
// of a specimen of sp with body length lengthMM.
func (sp *Species) SpecimenAreaMM2(lengthMM float64) float64 {
	return sp.areaUnit * lengthMM * lengthMM
}

// Group is a set of look-alike species (drawn from nearly identical
// appearance parameters) plus how metadata separates them.
type Group struct {
	// ID is the index in Catalog.Groups; Mode one of the Mode constants;
	// Members the species IDs and Names their binomials.
	ID      int      `json:"id"`
	Mode    string   `json:"mode"`
	Members []int    `json:"members"`
	Names   []string `json:"names"`
}

// Catalog is the synthetic world: taxonomy, look-alike groups, regions.
type Catalog struct {
	// Seed is the NewCatalog seed; Species are indexed by Species.ID,
	// Groups by Group.ID, Regions by Species.Region.
	Seed    uint64    `json:"seed"`
	Species []Species `json:"species"`
	Groups  []Group   `json:"groups"`
	Regions []Region  `json:"regions"`
}

// areaLadder holds the mean silhouette areas (mm²) of the size classes:
// each step is 1.75² = 3.0625 times the one below (1.75x the length).
var areaLadder = []float64{1, 3.0625, 9.378906}

// planWeights: how common each body plan (order) is, fly first.
var planWeights = []float64{0.4, 0.25, 0.15, 0.1, 0.1}

// NewCatalog builds the world for seed with nSeen labelled species and
// nUnseen species that only occur in the unseen splits. The result is a
// pure function of its arguments.
func NewCatalog(seed uint64, nSeen, nUnseen int) (*Catalog, error) {
	if nSeen < 2 {
		return nil, fmt.Errorf("synth: need at least 2 species, got %d", nSeen)
	}
	if nUnseen < 0 {
		return nil, fmt.Errorf("synth: negative unseen species count %d", nUnseen)
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed_ca7a_1009))
	nm := newNamer(r)
	cat := &Catalog{Seed: seed}
	nReg := max(3, min(len(regionPool), (nSeen+nUnseen)/6))
	cat.Regions = append(cat.Regions, regionPool[:nReg]...)
	nOrders := max(1, min(len(insect.Plans), (nSeen+5)/6))

	type genusInfo struct {
		name, family, subfamily, order string
		template                       insect.Appearance
	}
	lastGenus := map[insect.BodyPlan]*genusInfo{}
	lastFamily := map[insect.BodyPlan][2]string{}
	newGenus := func(plan insect.BodyPlan) *genusInfo {
		fam, ok := lastFamily[plan]
		if !ok || r.IntN(2) == 0 {
			fam = [2]string{nm.family(), ""}
			if r.IntN(3) > 0 {
				fam[1] = nm.subfamily()
			}
			lastFamily[plan] = fam
		}
		g := &genusInfo{name: nm.genus(), family: fam[0], subfamily: fam[1], order: orderNames[plan], template: insect.RandomAppearance(r, plan)}
		lastGenus[plan] = g
		return g
	}

	addGroup := func(size int, seen bool, gi int) {
		plan := insect.Plans[gi%nOrders]
		if gi >= nOrders {
			plan = insect.Plans[pickWeighted(r, planWeights[:nOrders])]
		}
		g := lastGenus[plan]
		if g == nil || r.IntN(5) < 2 {
			g = newGenus(plan)
		}
		base := g.template.Variant(r)
		mode := ModeSingle
		switch size {
		case 2:
			mode = []string{ModeRegion, ModeSize}[r.IntN(2)]
		case 3:
			mode = []string{ModeRegion, ModeRegion, ModeSize, ModeRegionSize, ModeRegionSize}[r.IntN(5)]
		}
		if mode == ModeRegion && size > len(cat.Regions) {
			mode = ModeSize
		}
		// Metadata signature: a home region and a base size class. Most
		// groups anchor on a species of an earlier group (same region and
		// size class), so that metadata alone confuse species of different
		// groups while still separating the members of each group.
		home, baseIdx := r.IntN(len(cat.Regions)), r.IntN(len(areaLadder))
		if len(cat.Species) > 0 && r.Float64() < 0.8 {
			anchor := &cat.Species[r.IntN(len(cat.Species))]
			home, baseIdx = anchor.Region, anchor.SizeClass
		}
		switch mode {
		case ModeSize:
			baseIdx = min(baseIdx, len(areaLadder)-size)
		case ModeRegionSize:
			baseIdx = min(baseIdx, len(areaLadder)-2)
		}
		var others []int // the other regions, shuffled
		for _, k := range r.Perm(len(cat.Regions)) {
			if k != home {
				others = append(others, k)
			}
		}
		sizeSteps := r.Perm(size)
		grp := Group{ID: len(cat.Groups), Mode: mode}
		for k := 0; k < size; k++ {
			sp := Species{ID: len(cat.Species), Order: g.order, Family: g.family, Subfamily: g.subfamily, Genus: g.name, Seen: seen, Group: grp.ID}
			sp.Name = nm.species(g.name)
			sp.Appearance = base.Lookalike(r)
			sp.Region, sp.SizeClass = home, baseIdx
			switch mode {
			case ModeRegion:
				if k > 0 {
					sp.Region = others[k-1]
				}
			case ModeSize:
				sp.SizeClass = baseIdx + sizeSteps[k]
			case ModeRegionSize:
				if k == 1 {
					sp.SizeClass = baseIdx + 1
				}
				if k == 2 {
					sp.Region = others[0]
				}
			}
			// The size class fixes the silhouette area (what
			// image_measurement_value measures), not the length, so that
			// species of one class have the same measured size whatever
			// their shape.
			sp.areaUnit = insect.SilhouetteArea(&sp.Appearance)
			sp.AreaMM2 = areaLadder[sp.SizeClass] * uni(r, 0.94, 1.06)
			sp.LengthMM = math.Sqrt(sp.AreaMM2 / sp.areaUnit)
			sp.BIN = nm.unique(func() string {
				return fmt.Sprintf("BOLD:A%c%c%04d", 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26)), r.IntN(10000))
			})
			grp.Members = append(grp.Members, sp.ID)
			grp.Names = append(grp.Names, sp.Name)
			cat.Species = append(cat.Species, sp)
		}
		cat.Groups = append(cat.Groups, grp)
	}
	for left, gi := nSeen, 0; left > 0; gi++ {
		size := []int{1, 2, 2, 2, 3, 3}[r.IntN(6)]
		size = min(size, left)
		addGroup(size, true, gi)
		left -= size
	}
	for k := 0; k < nUnseen; k++ {
		addGroup(1, false, len(cat.Groups))
	}
	cat.finish(r)
	return cat, nil
}

// finish draws the DNA barcodes.
func (cat *Catalog) finish(r *rand.Rand) {
	genusCode := map[string][]byte{}
	for i := range cat.Species {
		sp := &cat.Species[i]
		base, ok := genusCode[sp.Genus]
		if !ok {
			base = randomBarcode(r, 658)
			genusCode[sp.Genus] = base
		}
		sp.barcode = mutate(r, base, 0.06)
	}
}

// pickWeighted returns an index with probability proportional to w.
func pickWeighted(r *rand.Rand, w []float64) int {
	t := 0.0
	for _, x := range w {
		t += x
	}
	u := r.Float64() * t
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// uni returns a uniform random number in [lo, hi).
func uni(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
