// Package detect finds insect specimens on full trap frames (a white
// light-trap sheet or a yellow sticky card photographed at e.g. 4096x2160),
// measures them, cuts BIOSCAN-5M-like crops and tracks them across frames
// so each specimen is counted once.
//
// Crops for the classifier follow the training images' framing
// (BIOSCANCropRect) and get the trap's sheet or card repainted in
// BIOSCAN's plate grey (ReplaceBackground); their size fields
// (ReferenceSizeFields) use the same crop and a coverage-weighted area
// (Specimen.CoverAreaPx) so they mean what the training rows' do. See
// bioscan.go for the measurements behind this. Crop and CropRect (square)
// remain for display and for models trained on square crops.
//
// The default build is pure Go. Detection first works on a reduced image
// (longest side Options.WorkSize, box-averaged Y, Cb, Cr): a coarse
// background estimate (block 90th luma percentile, grey closing, smoothing,
// bilinear upsampling) flattens uneven lighting, and each cell's deviation
// from the background is the larger of its darkness (1 - Y/background) and
// its chroma distance from a background-coloured surface of the same luma
// (so a pale wing or a yellow-and-brown wasp on a yellow sticky card still
// stands out, while shadows count only as darkness).
//
// What real frames taught (../shared/realframes, bench/REPORT.md; the
// synthetic frames had hidden all of it):
//
//   - Thresholds are relative to the bare sheet's local texture
//     (noise.go): over-exposed, speckled or woven sheets deviate by 0.05
//     to 0.25 on their own, which fixed thresholds merged into frame-sized
//     blobs (panama's sheet: 0 of 39 moths found). A cell is foreground
//     when its 3x3-smoothed deviation exceeds the local level by
//     WeakThreshold and NoiseSigmas local sigmas; a component needs a seed
//     twice as far out.
//   - Touching moths are split where cores meet at a narrow neck
//     (split.go), not merged into one count.
//   - Boxes are body and wings, as people box insects: legs and antennae
//     (parts under about half a millimetre thick) are left out of Box and
//     kept in Extent, which frames the classifier's crops. On a light
//     sheet a small insect's legs are left out of Box up to a third of its
//     body's thickness (a small fly's legs are more than the quarter the
//     rules judge it by), its holes filled first so that a wing drawn by
//     its outline stays (limbBox). The fill reaches at most ReachMM beyond
//     a working component.
//   - Checkerboard scale bars, fasteners and grommets (discs), cables and
//     hems along the border and burned-in timestamps are recognised by
//     shape and not reported (notinsect.go), and a camera's larger
//     burned-in text by its white glyphs outlined in black (burnedin.go);
//     a checkerboard also gives the frame's scale (Analyze,
//     Options.ScaleSquareMM; checkerboard.go), and an insect resting
//     against its side is cut from it (cutout.go). Nor
//     are lines of printed text, a label's words (text.go), nor a dark
//     piece whose outline nowhere turns within 0.8 mm: a cast shadow, out
//     of the focused surface (shadow.go), nor a faint piece whose outline
//     is half as wide again as the frame's clear insects': a stain soaked
//     into the sheet (stain.go).
//   - Large pale moths (geometrids at 0.05-0.15 contrast) are found by a
//     coarse second pass over 4x4-cell averages (faint.go); white
//     micro-moths seen only by their outline, a little short of the seed,
//     are joined along it and kept when their box holds sharp dark
//     strokes, which a stain's smooth darkening does not (outlined.go).
//   - On a coloured sticky card only the card is searched, at twice the
//     resolution (card.go), and deviations are measured against the card's
//     local colour with chroma weighted more (tint.go): whiteflies are 4-12
//     px on a phone photo and differ from a yellow card mostly in blue.
//     A piece lying along the card's outline (its edge against the
//     cloth, a curl, or faint: its shade) is not a specimen, nor is one
//     whose outline lies off the card nearly all round (a clip, the cloth;
//     cardedge.go), nor a faint, flat net of thin strands: glare on
//     the glue (glare.go), nor a piece whose dark core is a disc 4 mm or
//     more across: a hole punched through the card (hole.go; dropped
//     before pieces merge, so an insect beside one keeps its own box), nor
//     a flat, ragged scatter with no body, such as a shaded band gathered
//     with its specks (flatscatter.go). A card photographed at 12 px/mm or
//     finer is searched on the frame reduced to 8 px/mm, one under 8
//     px/mm on the frame enlarged to 8 px/mm (the scale its stages were
//     measured at), and what is found is mapped back to the frame's
//     pixels (cardscale.go).
//   - A sheet's dark surround (the night, a housing, the ground round a
//     sheet photographed from farther back) is left out of the search and
//     the sheet's box searched on its own, so that its edge is the frame's
//     border to every rule (surround.go). A sheet's background blocks are
//     6.4 mm at least, however small the frame (a photo of one insect),
//     and with Options.Trap auto a card-coloured region smaller than any
//     card, under half the frame and darker than what lies around it, is
//     an insect seen close up, not a card (cardMinMM2).
//
// Small fragments within MergeGapMM of a larger region are joined to it on
// coloured cards only (parts of one insect separated by background-coloured
// bands, such as a wasp's yellow bands), unless compact and of another
// colour (a whitefly beside a fly); a merge whose result is rejected is
// undone. On a sheet nearby pieces are nearby insects, and a piece mostly
// inside a much larger specimen's box is dropped as part of it.
//
// Analyze runs in stages: work planes (analyze.go), foreground
// (foreground.go), pieces (analyze.go; scale references set aside first,
// scalerefs.go), specimens (segment.go).
//
// Measured on 2026-12-05 (detect/realeval, the realframes README's
// scoring, 10 px/mm): light sheets recall 0.95 and precision 0.90-1.0 on
// every trap, count within 8 % on every frame; sticky-card whitefly recall
// 0.80 since 2026-12-06, their pale wings filled (0.76 before; 0.95 of the
// whiteflies' boxes hold a detection's centre); of the
// card detections of 40 px or more judged by eye, 0.56 are insects
// (bench/detect/sticky-large.tsv). About 0.2-0.4 s of CPU per
// 4096x2160 sheet frame and 0.5-1 s per 2048x1536 card on this machine's
// Xeon cores.
package detect

import (
	"errors"
	"fmt"
	"image"
	"math"
)

// Trap kinds (Options.Trap).
const (
	TrapAuto   = ""
	TrapSticky = "sticky"
	TrapSheet  = "sheet"
)

// Options configures Detect. Use DefaultOptions and override fields.
type Options struct {
	// PixelsPerMM is the frame's scale in full-resolution pixels per
	// millimetre. Required (> 0).
	PixelsPerMM float64
	// MinAreaMM2 and MaxAreaMM2 bound a specimen's segmented area in mm²
	// (legs and wings included). MaxAreaMM2 <= 0 means no upper bound.
	// MinAreaMM2 applies to the covered area (Specimen.CoverAreaPx), which
	// blur and JPEG's smear of colour around a dark speck do not inflate
	// as they do the pixel count.
	// Below about 6 px/mm one pixel is a sizeable part of MinAreaMM2, so
	// debris specks close to it in size are told apart less reliably.
	MinAreaMM2, MaxAreaMM2 float64
	// WorkSize is the longest side of the reduced working image (the frame is
	// box-averaged by an integer factor so that its longest side is at most
	// WorkSize). 0 means 1024.
	WorkSize int
	// WeakThreshold and StrongThreshold bound a pixel's deviation from the
	// local background (darkness 1 - Y/background, or chroma distance over
	// background luma, whichever is larger): pixels above WeakThreshold are
	// foreground, and a component is kept only if some working cell
	// exceeds StrongThreshold.
	WeakThreshold, StrongThreshold float64
	// GrowThreshold is the (lower) deviation down to which the
	// full-resolution fill follows pixels connected to a kept component:
	// faint legs and antennae. 0 means WeakThreshold.
	GrowThreshold float64
	// MaxAspect rejects components whose major/minor axis ratio exceeds it
	// (fibres, hairs, scratches). <= 0 disables the check.
	MaxAspect float64
	// MinThicknessMM rejects components whose thickest part (the diameter
	// of the largest square that fits inside, at full resolution) is under
	// this many mm: fibres, hairs and scratches are thin, bodies are not.
	// Independently, components less than 3 frame pixels thick everywhere
	// are always rejected.
	MinThicknessMM float64
	// MinSolidity rejects components whose area / convex-hull area is below
	// it. <= 0 disables the check.
	MinSolidity float64
	// MergeGapMM joins a fragment (at most a third of the area) to a larger
	// region whose box is within this many mm: parts of one insect that the
	// background's colour separates, such as a wasp's yellow bands on a
	// yellow card. 0 disables merging.
	MergeGapMM float64
	// NoiseSigmas scales the thresholds to the sheet's local texture and
	// noise: a working cell is foreground only when its deviation exceeds
	// the bare sheet's local level by NoiseSigmas local sigmas (and by
	// WeakThreshold), a seed by twice that (and by StrongThreshold).
	// 0 means 4.
	NoiseSigmas float64
	// ReachMM is how far (mm) the full-resolution fill may reach beyond a
	// working-resolution component: thin wing edges, not legs or antennae
	// (boxes are body and wings). 0 means 1.
	ReachMM float64
	// ScaleSquareMM is the side, in mm, of one square of the checkerboard
	// scale bar placed on the sheet, if any. When it is set and a
	// checkerboard is in view, Analyze measures the frame's scale from it
	// (Frame.PixelsPerMM) and reports sizes in mm at that scale; detection
	// thresholds still use PixelsPerMM. 0: no automatic scale.
	ScaleSquareMM float64
	// SolidBarMM is the length, in mm, of a solid dark scale bar placed in
	// view (a printed bar, a strip of black tape), if any (solidbar.go).
	// When it is set and such a bar is in view, Analyze measures the
	// frame's scale from its length (Frame.ScaleSource "solid_bar") and
	// does not report it as a specimen. 0: none sought.
	SolidBarMM float64
	// NoRulerScale: a millimetre ruler in view (ruler.go) is still no
	// specimen, but Analyze keeps PixelsPerMM instead of measuring the
	// frame's scale from its ticks. By default a ruler sets the scale
	// (Frame.ScaleSource "ruler") unless a checkerboard does.
	NoRulerScale bool
	// Trap says what the camera looks at, when the operator knows it:
	// TrapAuto (""), a card found by its colour or else a sheet;
	// TrapSticky, a sticky card, found by its colour or, in a frame
	// without colour (a monochrome camera), as the bright surface on a
	// dark surround, or else the whole frame (greyCard); TrapSheet, a
	// light sheet, never searched as a card however tinted.
	Trap string
	// BackgroundBlock is the block size, in working pixels, of the coarse
	// background estimate. Dark objects up to about 4 blocks across do not
	// leak into the background. 0 means automatic (WorkSize/32, at least 16).
	// On a coloured card they are half that, and at most 4 mm
	// (cardMaxBlockMM).
	BackgroundBlock int
	// Verifier, when set, judges each specimen on a coloured card whose
	// box is VerifierMinMM or longer (see VerifierCrop); those it gives a
	// probability of no insect over VerifierReject are dropped
	// (Frame.Rejected). Sheets are not judged. nil: none.
	Verifier Verifier
	// VerifierReject is that probability; 0 means DefaultVerifierReject.
	VerifierReject float64
	// VerifierMinMM is the shortest box judged; 0 means
	// DefaultVerifierMinMM (40 px at a phone photo's 8 px/mm).
	VerifierMinMM float64
	// resampled: the frame is a card's copy made at the scale it is to be
	// searched at (cardscale.go), not to be resampled again.
	resampled bool
	// dehazed: the frame is a veiled card's copy with its black level
	// taken off (haze.go), not to be tested for a veil again.
	dehazed bool
	// denoised: the frame is a noisy card's smoothed copy (denoise.go),
	// not to be tested for noise again.
	denoised bool
	// farther: the frame is a card searched again at the scale its
	// whiteflies give (cardfar.go), not to be searched again.
	farther bool
	// onSheet: the frame is a sheet's part cut out of its dark surround
	// (surround.go), not to be cut again.
	onSheet bool
}

// DefaultOptions returns the defaults for a frame with the given scale.
func DefaultOptions(pixelsPerMM float64) Options {
	return Options{
		PixelsPerMM:     pixelsPerMM,
		MinAreaMM2:      0.3,
		MaxAreaMM2:      12000,
		WorkSize:        1024,
		WeakThreshold:   0.15,
		StrongThreshold: 0.30,
		GrowThreshold:   0.10,
		MaxAspect:       12,
		MinThicknessMM:  0.2,
		MinSolidity:     0.1,
		MergeGapMM:      1,
	}
}

// Specimen is one detected specimen, in full-resolution frame coordinates.
type Specimen struct {
	// Box is the specimen's bounding box (Max exclusive) in the coordinates
	// of the image given to Detect (so it includes img.Bounds().Min):
	// body and wings, legs and antennae left out (see the package doc).
	Box image.Rectangle
	// Extent is the box of every pixel segmented as the specimen, legs and
	// antennae included (Box leaves out parts thinner than about half a
	// millimetre). Crops for the classifier are framed on it, as
	// BIOSCAN-5M's images are framed on the whole specimen.
	Extent image.Rectangle
	// CenterX, CenterY is the centroid of the specimen's pixels.
	CenterX, CenterY float64
	// AreaPx is the number of full-resolution pixels segmented as specimen.
	// BIOSCAN-5M's image_measurement_value comes from CoverAreaPx instead
	// (see ReferenceSizeFields).
	AreaPx float64
	// AreaMM2 is AreaPx converted with Options.PixelsPerMM.
	AreaMM2 float64
	// CoverAreaPx is the specimen's area in full-resolution pixels
	// weighted by how much of each pixel the specimen covers (estimated
	// from its deviation relative to the specimen's interior; see
	// coverArea). Unlike AreaPx, which counts every pixel the fill reached
	// as whole, it barely changes with resolution and blur (anti-aliased
	// edges, thin legs and antennae, translucent wings): on synth's
	// specimens AreaPx is about 1.25-1.6 times the silhouette area at
	// 20 px/mm (more with blur) and 1.05 at BIOSCAN's 140 px/mm, while
	// CoverAreaPx stays at 0.92-1.02 from 10 to 140 px/mm.
	// ReferenceSizeFields uses it.
	CoverAreaPx float64
	// LengthPx/LengthMM and WidthPx/WidthMM are the major and minor axes of
	// the ellipse with the same second moments as the specimen's pixels
	// (4*sqrt(eigenvalue) of the covariance).
	LengthPx, WidthPx float64
	LengthMM, WidthMM float64
	// Orientation is the major axis angle in radians from the +x axis
	// (y down), in (-pi/2, pi/2].
	Orientation float64
	// Solidity is area / convex-hull area (0..1].
	Solidity float64
	// ThicknessPx is the side of the largest square of specimen pixels
	// (about the body's width).
	ThicknessPx float64
	// Contrast is 1 - (mean specimen value / background), in 0..1.
	Contrast float64
	// TouchesEdge reports a box touching the frame border: the specimen may
	// be cut off.
	TouchesEdge bool

	// trimmed: on a light sheet, Box with limbs up to a third of the
	// body's thickness left out as well (limbBox); Box once every rule
	// has judged the specimen (specimens).
	trimmed image.Rectangle
}

// minBlock is the smallest automatic background block, in working pixels.
const minBlock = 16

// ErrBadOptions wraps every Options validation error.
var ErrBadOptions = errors.New("detect: bad options")

func (o Options) withDefaults() (Options, error) {
	if !(o.PixelsPerMM > 0) {
		return o, fmt.Errorf("%w: PixelsPerMM must be > 0, got %v", ErrBadOptions, o.PixelsPerMM)
	}
	if o.Trap != TrapAuto && o.Trap != TrapSticky && o.Trap != TrapSheet {
		return o, fmt.Errorf("%w: Trap %q: want %q, %q or %q", ErrBadOptions, o.Trap, TrapAuto, TrapSticky, TrapSheet)
	}
	if o.WorkSize == 0 {
		o.WorkSize = 1024
	}
	if o.WorkSize < 64 {
		return o, fmt.Errorf("%w: WorkSize must be >= 64, got %d", ErrBadOptions, o.WorkSize)
	}
	if o.WeakThreshold <= 0 || o.WeakThreshold >= 1 {
		return o, fmt.Errorf("%w: WeakThreshold must be in (0,1), got %v", ErrBadOptions, o.WeakThreshold)
	}
	if o.StrongThreshold < o.WeakThreshold || o.StrongThreshold >= 1 {
		return o, fmt.Errorf("%w: StrongThreshold must be in [WeakThreshold,1), got %v", ErrBadOptions, o.StrongThreshold)
	}
	if o.GrowThreshold == 0 {
		o.GrowThreshold = o.WeakThreshold
	}
	if !(o.GrowThreshold > 0) || o.GrowThreshold > o.WeakThreshold {
		return o, fmt.Errorf("%w: GrowThreshold must be in (0, WeakThreshold], got %v", ErrBadOptions, o.GrowThreshold)
	}
	if o.MinAreaMM2 < 0 {
		return o, fmt.Errorf("%w: MinAreaMM2 must be >= 0, got %v", ErrBadOptions, o.MinAreaMM2)
	}
	if o.MaxAreaMM2 > 0 && o.MaxAreaMM2 < o.MinAreaMM2 {
		return o, fmt.Errorf("%w: MaxAreaMM2 %v < MinAreaMM2 %v", ErrBadOptions, o.MaxAreaMM2, o.MinAreaMM2)
	}
	if o.NoiseSigmas == 0 {
		o.NoiseSigmas = 4
	}
	if o.ReachMM == 0 {
		o.ReachMM = 1
	}
	if o.NoiseSigmas < 0 || o.ReachMM < 0 || !(o.ScaleSquareMM >= 0) || !(o.SolidBarMM >= 0) || math.IsInf(o.ScaleSquareMM+o.SolidBarMM, 0) {
		return o, fmt.Errorf("%w: NoiseSigmas, ReachMM, ScaleSquareMM and SolidBarMM must be >= 0, got %v, %v, %v and %v", ErrBadOptions, o.NoiseSigmas, o.ReachMM, o.ScaleSquareMM, o.SolidBarMM)
	}
	if o.BackgroundBlock < 0 {
		return o, fmt.Errorf("%w: BackgroundBlock must be >= 0, got %d", ErrBadOptions, o.BackgroundBlock)
	}
	if o.VerifierReject == 0 {
		o.VerifierReject = DefaultVerifierReject
	}
	if o.VerifierMinMM == 0 {
		o.VerifierMinMM = DefaultVerifierMinMM
	}
	if !(o.VerifierReject > 0 && o.VerifierReject <= 1) || !(o.VerifierMinMM > 0) {
		return o, fmt.Errorf("%w: VerifierReject must be in (0,1] and VerifierMinMM > 0, got %v and %v", ErrBadOptions, o.VerifierReject, o.VerifierMinMM)
	}
	if o.BackgroundBlock == 0 {
		o.BackgroundBlock = max(minBlock, o.WorkSize/32)
	}
	return o, nil
}
