package detect

import (
	"image"
	"math"
)

// SizeFields holds the BIOSCAN-5M size metadata of one specimen crop.
//
// BIOSCAN-5M's metadata documentation defines them as:
//   - image_measurement_value: "number of pixels occupied by the organism"
//     (in the original image);
//   - area_fraction: "fraction of the original image the cropped image
//     comprises";
//   - scale_factor: "ratio of the cropped image to the cropped_256 image".
//
// A trap frame's magnification differs from BIOSCAN-5M's microscope images,
// so the same insect gives different raw values. Two functions fill them:
//   - ReferenceSizeFields (use this for the model's metadata input) converts
//     the specimen to the reference imaging the training data assumes
//     (BIOSCANReference, the same model trapnet's synth package uses), so
//     values match the training distribution;
//   - SizeFieldsFor applies the definitions literally with the trap frame
//     as the original image.
//
// FillFraction (specimen area / crop area) is magnification-free.
type SizeFields struct {
	ImageMeasurementValue float64 `json:"image_measurement_value"`
	AreaFraction          float64 `json:"area_fraction"`
	ScaleFactor           float64 `json:"scale_factor"`
	// FillFraction is the specimen's pixel area divided by the crop area.
	FillFraction float64 `json:"fill_fraction"`
}

// SizeFieldsFor computes the size fields of s cropped with crop (normally
// CropRect(s.Box, margin)) from a frame with the given bounds, for a crop
// resized to outSize x outSize pixels (e.g. the model's input size; BIOSCAN-5M
// uses 256). Zero-sized inputs give zero fields instead of NaN or Inf.
func SizeFieldsFor(s Specimen, crop, frame image.Rectangle, outSize int) SizeFields {
	f := SizeFields{ImageMeasurementValue: s.AreaPx}
	cropArea := float64(crop.Dx()) * float64(crop.Dy())
	frameArea := float64(frame.Dx()) * float64(frame.Dy())
	if frameArea > 0 {
		f.AreaFraction = cropArea / frameArea
	}
	if cropArea > 0 {
		f.FillFraction = s.AreaPx / cropArea
	}
	if outSize > 0 {
		f.ScaleFactor = float64(max(crop.Dx(), crop.Dy())) / float64(outSize)
	}
	return f
}

// Reference is the imaging of the training images: original image size,
// magnification, and the short side of the resized crops.
type Reference struct {
	Width, Height int
	PixelsPerMM   float64
	CropShortSide int
}

// BIOSCANReference is the imaging model trapnet assumes for BIOSCAN-5M (and
// synth generates): 2880x2160 originals at 140 px/mm, cropped_256 images.
// Keep it equal to synth's OrigWidth, OrigHeight, OrigPixelsPerMM and
// CropShortSide.
var BIOSCANReference = Reference{Width: 2880, Height: 2160, PixelsPerMM: 140, CropShortSide: 256}

// DefaultMargin is the crop margin (per side, as a fraction of the box's
// side: per axis with BIOSCANCropRect, of the longest side with CropRect)
// that gives crops like BIOSCAN-5M's: the specimen's extent times about
// 1.2 (synth draws 1.08-1.3).
const DefaultMargin = 0.1

// ReferenceSizeFields returns the size fields s and its crop (normally
// BIOSCANCropRect(s.Box, DefaultMargin), the framing of the training
// images, so that area_fraction and scale_factor mean what they mean in the
// training rows) would have had if photographed with ref,
// given the frame's pixelsPerMM: image_measurement_value is the specimen's
// area in reference pixels (from CoverAreaPx when set, else AreaPx:
// counting whole frame pixels would overstate the area the more, the lower
// the frame's resolution, by about 1.4x at 20 px/mm against the training
// rows of the same species), area_fraction the crop's share of a reference
// original (at most 1) and scale_factor the crop's short side in reference
// pixels over ref.CropShortSide. Non-positive scales give zero fields.
func ReferenceSizeFields(s Specimen, crop image.Rectangle, pixelsPerMM float64, ref Reference) SizeFields {
	var f SizeFields
	cropArea := float64(crop.Dx()) * float64(crop.Dy())
	if cropArea > 0 {
		f.FillFraction = s.AreaPx / cropArea
	}
	if !(pixelsPerMM > 0) || !(ref.PixelsPerMM > 0) {
		return f
	}
	k := ref.PixelsPerMM / pixelsPerMM // reference pixels per frame pixel
	area := s.AreaPx
	if s.CoverAreaPx > 0 {
		area = s.CoverAreaPx
	}
	f.ImageMeasurementValue = math.Round(area * k * k)
	cw, ch := float64(crop.Dx())*k, float64(crop.Dy())*k
	if ref.Width > 0 && ref.Height > 0 {
		f.AreaFraction = math.Min(1, cw*ch/(float64(ref.Width)*float64(ref.Height)))
	}
	if ref.CropShortSide > 0 {
		f.ScaleFactor = math.Min(cw, ch) / float64(ref.CropShortSide)
	}
	return f
}
