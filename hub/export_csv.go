package hub

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
)

// csvHeader is the header of the detections CSV export.
var csvHeader = []string{"id", "trap_id", "capture_time", "night", "local_date", "label", "score", "uncertain",
	"review_label", "reviewed_by", "counted_label", "model_version", "frame_id", "track_id", "lat", "lon", "country",
	"region", "length_mm", "width_mm", "area_mm2", "crop_sha256"}

// WriteCSV writes the detections f selects as CSV (header csvHeader),
// oldest first.
func (s *Store) WriteCSV(ctx context.Context, w io.Writer, f Filter) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	opt := func(p *float64) string {
		if p == nil {
			return ""
		}
		return num(*p)
	}
	_, err := s.EachDetection(ctx, f, func(d *Full) error {
		return cw.Write([]string{d.ID, d.TrapID, fmtTime(d.CaptureTime), d.Night, d.LocalDate, d.Label, num(d.Score),
			strconv.FormatBool(d.Uncertain), d.ReviewLabel, d.ReviewedBy, d.CountedLabel(), d.ModelVersion, d.FrameID,
			strconv.Itoa(d.TrackID), opt(d.Location.Lat), opt(d.Location.Lon), d.Location.Country, d.Location.Region,
			num(d.Size.LengthMM), num(d.Size.WidthMM), num(d.Size.AreaMM2), d.CropSHA256})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
