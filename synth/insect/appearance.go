// Package insect draws procedural insect specimens: a species' look
// (Appearance: body plan, proportions, colours, pattern, wings, legs,
// antennae, texture), random looks per body plan and their look-alike and
// congeneric variants, per-image variation (Pose), and drawing or
// measuring a specimen with the raster package.
//
// Lengths in an Appearance are fractions of the body length (head front
// to abdomen tip = 1); a Placement says where and how large to draw it.
// Everything is deterministic: the same random streams give the same
// looks and pixels.
package insect

import (
	"image/color"
	"math"
	"math/rand/v2"
)

// BodyPlan is the overall shape family of a specimen; every order has one.
type BodyPlan string

// The body plans, loosely after the insect orders that use them.
const (
	PlanFly    BodyPlan = "fly"    // Diptera: one pair of clear wings, big eyes.
	PlanWasp   BodyPlan = "wasp"   // Hymenoptera: two wing pairs, narrow waist, long antennae.
	PlanBeetle BodyPlan = "beetle" // Coleoptera: hard elytra covering the abdomen.
	PlanBug    BodyPlan = "bug"    // Hemiptera: shield-like pronotum, half-membranous forewings.
	PlanMoth   BodyPlan = "moth"   // Lepidoptera: large opaque patterned wings.
)

// Pattern is a colour pattern drawn on the abdomen (or elytra / moth wings).
type Pattern string

// The patterns.
const (
	PatternNone    Pattern = "none"    // plain
	PatternBands   Pattern = "bands"   // transverse bands
	PatternStripe  Pattern = "stripe"  // one longitudinal median stripe
	PatternSpots   Pattern = "spots"   // paired round spots
	PatternStriped Pattern = "striped" // several longitudinal stripes
)

// RGB is an opaque colour that marshals as a JSON array.
type RGB [3]uint8

// with returns c scaled by gain (saturating) with opacity alpha (0-1).
func (c RGB) with(alpha float64, gain float64) color.NRGBA {
	f := func(v uint8) uint8 { return uint8(math.Max(0, math.Min(255, float64(v)*gain))) }
	return color.NRGBA{f(c[0]), f(c[1]), f(c[2]), uint8(math.Max(0, math.Min(255, alpha*255)))}
}

// Appearance holds every parameter of a species' look. Lengths are fractions
// of the body length (head front to abdomen tip = 1). Look-alike species
// share an Appearance up to tiny perturbations.
type Appearance struct {
	// Plan is the body plan; HeadLen to AbdTaper the body proportions.
	Plan      BodyPlan `json:"plan"`
	HeadLen   float64  `json:"head_len"`
	HeadWid   float64  `json:"head_wid"`
	EyeSize   float64  `json:"eye_size"` // eye radius as a fraction of head width
	ThoraxLen float64  `json:"thorax_len"`
	ThoraxWid float64  `json:"thorax_wid"`
	Waist     float64  `json:"waist"` // petiole length between thorax and abdomen
	AbdWid    float64  `json:"abd_wid"`
	AbdTaper  float64  `json:"abd_taper"` // 0 oval, 1 pointed tip

	// Body, Head, Eye, Legs and Marking are the colours of the body parts
	// and of the pattern.
	Body    RGB `json:"body"`
	Head    RGB `json:"head"`
	Eye     RGB `json:"eye"`
	Legs    RGB `json:"legs"`
	Marking RGB `json:"marking"`

	// Pattern is drawn PatternCount times (bands, spots, stripes) in Marking.
	Pattern      Pattern `json:"pattern"`
	PatternCount int     `json:"pattern_count"`
	PatternWidth float64 `json:"pattern_width"` // fraction of the band pitch / spot size

	// WingPairs to WingSpot describe the wings (for beetles: the elytra,
	// WingTint their colour); Veins counts the drawn veins.
	WingPairs int     `json:"wing_pairs"`
	WingLen   float64 `json:"wing_len"`
	WingWid   float64 `json:"wing_wid"`
	WingAngle float64 `json:"wing_angle"` // radians from the body axis, swept back
	WingTint  RGB     `json:"wing_tint"`
	WingAlpha float64 `json:"wing_alpha"`
	Veins     int     `json:"veins"`
	WingSpot  bool    `json:"wing_spot"` // a dark stigma / eye-spot on the forewing

	// LegLen to AntClub describe the legs and antennae (AntClub: clubbed
	// antenna tips).
	LegLen  float64 `json:"leg_len"`
	LegWid  float64 `json:"leg_wid"`
	AntLen  float64 `json:"ant_len"`
	AntWid  float64 `json:"ant_wid"`
	AntClub bool    `json:"ant_club"`

	// Speckle is the density (0-1) of the fixed dot texture on abdomen and
	// thorax; TextureSeed places the dots, so it is part of the look.
	Speckle     float64 `json:"speckle"`
	TextureSeed uint64  `json:"texture_seed"`
	// Hairy adds setae along the abdomen's outline.
	Hairy bool `json:"hairy"`
}

// Plans lists the body plans in the order their insect orders are handed
// out to a catalog (flies first).
var Plans = []BodyPlan{PlanFly, PlanWasp, PlanBeetle, PlanBug, PlanMoth}

// uni returns a uniform random number in [lo, hi).
func uni(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// earthy returns a random brown/black/ochre/green insect colour.
func earthy(r *rand.Rand) RGB {
	base := [][3]float64{{60, 40, 25}, {25, 22, 20}, {140, 95, 40}, {180, 140, 50}, {90, 60, 30}, {50, 70, 35}, {120, 40, 25}, {70, 70, 80}}
	b := base[r.IntN(len(base))]
	g := uni(r, 0.8, 1.25)
	return RGB{clamp8(b[0] * g), clamp8(b[1] * g), clamp8(b[2] * g)}
}

// bright returns a contrasting marking colour.
func bright(r *rand.Rand) RGB {
	base := [][3]float64{{230, 200, 40}, {240, 240, 225}, {210, 90, 30}, {200, 40, 35}, {15, 15, 15}, {230, 170, 60}, {90, 150, 200}}
	b := base[r.IntN(len(base))]
	return RGB{clamp8(b[0] + uni(r, -15, 15)), clamp8(b[1] + uni(r, -15, 15)), clamp8(b[2] + uni(r, -15, 15))}
}

// clamp8 rounds v to a colour level in [0, 255].
func clamp8(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }

// RandomAppearance draws a fresh species look for a body plan from r.
func RandomAppearance(r *rand.Rand, plan BodyPlan) Appearance {
	a := Appearance{Plan: plan}
	a.Body = earthy(r)
	a.Head = a.Body
	if r.IntN(3) == 0 {
		a.Head = earthy(r)
	}
	a.Legs = earthy(r)
	a.Eye = RGB{30, 25, 25}
	a.Marking = bright(r)
	pats := []Pattern{PatternNone, PatternBands, PatternStripe, PatternSpots, PatternStriped}
	a.Pattern = pats[r.IntN(len(pats))]
	a.PatternCount = 2 + r.IntN(4)
	a.PatternWidth = uni(r, 0.3, 0.6)
	a.WingTint = RGB{clamp8(uni(r, 150, 230)), clamp8(uni(r, 150, 220)), clamp8(uni(r, 140, 220))}
	a.EyeSize = uni(r, 0.2, 0.35)
	a.AbdTaper = uni(r, 0, 0.8)
	a.Veins = 3 + r.IntN(4)
	if r.IntN(2) == 0 {
		a.Speckle = uni(r, 0.3, 1)
	}
	a.TextureSeed = r.Uint64()
	a.Hairy = r.IntN(3) == 0
	switch plan {
	case PlanFly:
		a.HeadLen, a.HeadWid = uni(r, 0.12, 0.18), uni(r, 0.2, 0.3)
		a.EyeSize = uni(r, 0.38, 0.5)
		a.Eye = RGB{clamp8(uni(r, 120, 190)), clamp8(uni(r, 20, 60)), 20}
		a.ThoraxLen, a.ThoraxWid = uni(r, 0.25, 0.33), uni(r, 0.22, 0.32)
		a.AbdWid = uni(r, 0.15, 0.3)
		a.WingPairs, a.WingLen, a.WingWid = 1, uni(r, 0.7, 1.0), uni(r, 0.18, 0.3)
		a.WingAngle = uni(r, 0.25, 0.6)
		a.WingAlpha = uni(r, 0.15, 0.35)
		a.LegLen, a.LegWid = uni(r, 0.35, 0.7), uni(r, 0.015, 0.03)
		a.AntLen, a.AntWid = uni(r, 0.06, 0.35), 0.015
		a.WingSpot = r.IntN(4) == 0
	case PlanWasp:
		a.HeadLen, a.HeadWid = uni(r, 0.12, 0.16), uni(r, 0.16, 0.24)
		a.ThoraxLen, a.ThoraxWid = uni(r, 0.22, 0.3), uni(r, 0.15, 0.22)
		a.Waist = uni(r, 0.03, 0.12)
		a.AbdWid = uni(r, 0.16, 0.28)
		a.WingPairs, a.WingLen, a.WingWid = 2, uni(r, 0.55, 0.8), uni(r, 0.13, 0.2)
		a.WingAngle = uni(r, 0.15, 0.45)
		a.WingAlpha = uni(r, 0.2, 0.45)
		a.LegLen, a.LegWid = uni(r, 0.4, 0.65), uni(r, 0.015, 0.03)
		a.AntLen, a.AntWid = uni(r, 0.3, 0.6), 0.018
		a.WingSpot = r.IntN(2) == 0
		if r.IntN(3) > 0 {
			a.Pattern = PatternBands
		}
	case PlanBeetle:
		a.HeadLen, a.HeadWid = uni(r, 0.1, 0.15), uni(r, 0.18, 0.28)
		a.ThoraxLen, a.ThoraxWid = uni(r, 0.15, 0.25), uni(r, 0.3, 0.45)
		a.AbdWid = uni(r, 0.35, 0.55)
		a.AbdTaper = uni(r, 0, 0.35)
		a.WingPairs, a.WingAlpha = 1, 1 // elytra
		a.LegLen, a.LegWid = uni(r, 0.25, 0.45), uni(r, 0.03, 0.05)
		a.AntLen, a.AntWid = uni(r, 0.15, 0.45), 0.022
		a.AntClub = r.IntN(2) == 0
		a.WingTint = a.Body
		if r.IntN(3) == 0 {
			a.WingTint = earthy(r)
		}
	case PlanBug:
		a.HeadLen, a.HeadWid = uni(r, 0.1, 0.14), uni(r, 0.14, 0.22)
		a.ThoraxLen, a.ThoraxWid = uni(r, 0.18, 0.26), uni(r, 0.32, 0.5)
		a.AbdWid = uni(r, 0.3, 0.45)
		a.WingPairs, a.WingLen, a.WingWid = 1, uni(r, 0.55, 0.75), uni(r, 0.15, 0.22)
		a.WingAngle = uni(r, 0.05, 0.2)
		a.WingAlpha = uni(r, 0.75, 0.95)
		a.WingTint = earthy(r)
		a.LegLen, a.LegWid = uni(r, 0.3, 0.55), uni(r, 0.02, 0.035)
		a.AntLen, a.AntWid = uni(r, 0.3, 0.55), 0.02
	case PlanMoth:
		a.HeadLen, a.HeadWid = uni(r, 0.1, 0.14), uni(r, 0.14, 0.2)
		a.ThoraxLen, a.ThoraxWid = uni(r, 0.22, 0.3), uni(r, 0.16, 0.24)
		a.AbdWid = uni(r, 0.13, 0.2)
		a.WingPairs, a.WingLen, a.WingWid = 2, uni(r, 0.7, 0.95), uni(r, 0.3, 0.45)
		a.WingAngle = uni(r, 0.5, 0.9)
		a.WingAlpha = uni(r, 0.9, 1)
		a.WingTint = earthy(r)
		a.LegLen, a.LegWid = uni(r, 0.25, 0.4), uni(r, 0.015, 0.025)
		a.AntLen, a.AntWid = uni(r, 0.3, 0.5), 0.02
		a.AntClub = r.IntN(3) == 0
		a.WingSpot = r.IntN(2) == 0
	}
	return a
}

// Lookalike returns a copy of a perturbed so slightly that a small network
// cannot separate the two from images: proportions within 0.6 % (the pose
// varies them by 5-8 % per image), colours within 2 levels (lighting
// varies them by 12 %).
func (a Appearance) Lookalike(r *rand.Rand) Appearance {
	j := func(v float64) float64 { return v * uni(r, 0.994, 1.006) }
	b := a
	b.HeadLen, b.HeadWid, b.ThoraxLen, b.ThoraxWid = j(a.HeadLen), j(a.HeadWid), j(a.ThoraxLen), j(a.ThoraxWid)
	b.AbdWid, b.WingLen, b.WingWid, b.LegLen, b.AntLen = j(a.AbdWid), j(a.WingLen), j(a.WingWid), j(a.LegLen), j(a.AntLen)
	c := func(x RGB) RGB {
		return RGB{clamp8(float64(x[0]) + uni(r, -2, 2)), clamp8(float64(x[1]) + uni(r, -2, 2)), clamp8(float64(x[2]) + uni(r, -2, 2))}
	}
	b.Body, b.Head, b.Marking, b.WingTint = c(a.Body), c(a.Head), c(a.Marking), c(a.WingTint)
	return b
}

// Variant derives a species-group look from a genus template a: same body
// plan and similar proportions, new pattern and usually new colours.
func (a Appearance) Variant(r *rand.Rand) Appearance {
	fresh := RandomAppearance(r, a.Plan)
	mix := func(x, y float64) float64 { return 0.6*x + 0.4*y }
	b := fresh
	b.HeadLen, b.HeadWid = mix(a.HeadLen, fresh.HeadLen), mix(a.HeadWid, fresh.HeadWid)
	b.ThoraxLen, b.ThoraxWid = mix(a.ThoraxLen, fresh.ThoraxLen), mix(a.ThoraxWid, fresh.ThoraxWid)
	b.AbdWid, b.WingLen, b.WingWid = mix(a.AbdWid, fresh.AbdWid), mix(a.WingLen, fresh.WingLen), mix(a.WingWid, fresh.WingWid)
	b.Waist, b.EyeSize = mix(a.Waist, fresh.Waist), mix(a.EyeSize, fresh.EyeSize)
	// Often congeneric species share their colours and differ only in
	// pattern, texture and proportions, so colour alone is not enough.
	if r.IntN(5) < 2 {
		b.Body, b.Head, b.Legs, b.WingTint = a.Body, a.Head, a.Legs, a.WingTint
	}
	return b
}
