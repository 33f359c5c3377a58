package agent

import "time"

// Location is the trap's position as published.
type Location struct {
	Lat     *float64 `json:"lat,omitempty"`
	Lon     *float64 `json:"lon,omitempty"`
	Country string   `json:"country,omitempty"`
	Region  string   `json:"region,omitempty"`
}

// Box is a bounding box in frame pixels (max exclusive).
type Box struct {
	X0 int `json:"x0"`
	Y0 int `json:"y0"`
	X1 int `json:"x1"`
	Y1 int `json:"y1"`
}

// Size is a specimen's measured size: millimetres from the camera scale and
// the BIOSCAN-5M-style fields given to the model.
type Size struct {
	AreaMM2               float64 `json:"area_mm2"`
	LengthMM              float64 `json:"length_mm"`
	WidthMM               float64 `json:"width_mm"`
	AreaPx                float64 `json:"area_px"`
	ImageMeasurementValue float64 `json:"image_measurement_value"`
	AreaFraction          float64 `json:"area_fraction"`
	ScaleFactor           float64 `json:"scale_factor"`
}

// Detection is the JSON published on <prefix>detections, one per new specimen.
type Detection struct {
	ID           string       `json:"id"`
	TrapID       string       `json:"trap_id"`
	FrameID      string       `json:"frame_id"`
	CaptureTime  time.Time    `json:"capture_time"`
	LocalDate    string       `json:"local_date"`
	Location     Location     `json:"location"`
	TrackID      int          `json:"track_id,omitempty"`
	Box          Box          `json:"box"`
	Size         Size         `json:"size"`
	TopK         []Prediction `json:"top_k"`
	Label        string       `json:"label"`
	Score        float64      `json:"score"`
	Uncertain    bool         `json:"uncertain"`
	ModelVersion string       `json:"model_version"`
	CropSHA256   string       `json:"crop_sha256"`
	LatencyMS    float64      `json:"latency_ms"`
}

// FrameSummary is the JSON published on <prefix>frames, one per frame.
type FrameSummary struct {
	ID          string    `json:"id"`
	TrapID      string    `json:"trap_id"`
	FrameID     string    `json:"frame_id"`
	CaptureTime time.Time `json:"capture_time"`
	Specimens   int       `json:"specimens"`
	New         int       `json:"new"`
	// Deferred counts specimens first seen on this frame whose
	// classification (and count) is put off to a later frame
	// (model.max_new_per_frame).
	Deferred  int            `json:"deferred,omitempty"`
	Counts    map[string]int `json:"counts"`
	Uncertain int            `json:"uncertain"`
	Errors    int            `json:"errors"`
	LatencyMS float64        `json:"latency_ms"`

	// TimeSource says where CaptureTime came from: "exif" (the image's
	// DateTimeOriginal), "filename" (a date and time in the file's name),
	// "mtime" (the file's modification time) or "" (the agent's clock, for
	// a frame without a time).
	TimeSource string `json:"time_source,omitempty"`
	// PixelsPerMM is the scale sizes were measured at; ScaleSource says
	// where it came from: "config" (capture.pixels_per_mm),
	// "checkerboard" (a checkerboard scale bar in view,
	// capture.scale_square_mm), "solid_bar" (a solid bar of
	// capture.solid_bar_mm in view), "ruler" (a millimetre ruler in
	// view, read from its ticks; capture.ruler_scale) or "whiteflies" (a
	// sticky card photographed from farther than the configured scale
	// says, searched again at the scale its whiteflies give).
	PixelsPerMM float64 `json:"pixels_per_mm,omitempty"`
	ScaleSource string  `json:"scale_source,omitempty"`
	// Rejected counts the card's larger specimens that model.verifier took
	// for no insect (not counted, not tracked).
	Rejected int `json:"rejected,omitempty"`
	// Haze is the black level (0-255) a veil over the photo (a smudged
	// lens, a sleeve over a card, dew on a trap camera's window) lifted it
	// by, taken off before searching (detect.Frame.Haze); absent when none
	// was.
	Haze float64 `json:"haze,omitempty"`
	// Noise is the noise (a sigma, in luma levels) measured on a sticky
	// card's photo when it was high enough for the card to be searched
	// smoothed (detect.Frame.Noise); absent when it was not.
	Noise float64 `json:"noise,omitempty"`
	// Surface is what the frame was searched as: "sheet", "card" (a
	// sticky card found by its colour) or "grey_card" (by its brightness,
	// capture.surface sticky_card; detect.Frame.Surface); absent when the
	// finder does not say.
	Surface string `json:"surface,omitempty"`
	// NewCard is true on the frame where the agent took the sticky card
	// for another one (swapped for the last; seen on this frame and the
	// one before, its specks elsewhere): what lies on it is counted anew,
	// and what the old card held is forgotten.
	NewCard bool `json:"new_card,omitempty"`
}

// Alert is the JSON published on <prefix>alerts when a rule fires.
type Alert struct {
	ID            string    `json:"id"`
	TrapID        string    `json:"trap_id"`
	Rule          string    `json:"rule"`
	Labels        []string  `json:"labels"`
	Count         int       `json:"count"`
	MinCount      int       `json:"min_count"`
	WindowSeconds float64   `json:"window_s"`
	MinConfidence float64   `json:"min_confidence"`
	Time          time.Time `json:"time"`
	DetectionIDs  []string  `json:"detection_ids"`
}

// Crop is the JSON published on <prefix>crops: a specimen's crop as a small
// JPEG (base64 in JSON), for the hub's review view. Optional (crops.enabled).
type Crop struct {
	// DetectionID is the Detection's id.
	DetectionID string `json:"detection_id"`
	TrapID      string `json:"trap_id"`
	// JPEG is the encoded crop.
	JPEG []byte `json:"jpeg"`
}
