package hub

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/trapnet/trapnet/dataset"
)

// reviewedMeta are the metadata columns of the reviewed dataset, named as
// the agent's metadata row (agent.MetaRow) names them.
var reviewedMeta = []string{"country", "province_state", "coord-lat", "coord-lon", "date", "datetime_utc", "trap_id",
	"image_measurement_value", "area_fraction", "scale_factor", "area_mm2", "length_mm", "width_mm"}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// WriteReviewed writes the reviewed detections that have a crop as a zip
// holding a dataset in the trainer's generic CSV layout:
//
//	images/<id>.jpg
//	labels.csv     image,label,id,pred_label,pred_score,model_version,reviewed_by,<metadata columns>
//	dataset.yaml   the dataset.Spec naming them
//
// so that `trainer` retrains on what people confirmed or corrected. It
// returns the number of crops written.
func (s *Store) WriteReviewed(ctx context.Context, w io.Writer) (int, error) {
	zw := zip.NewWriter(w)
	var rows [][]string
	n := 0
	_, err := s.EachDetection(ctx, Filter{Reviewed: "yes", HasCrop: true}, func(d *Full) error {
		jpeg, err := s.Crop(ctx, d.ID)
		if err != nil || jpeg == nil {
			return err
		}
		img := "images/" + unsafeName.ReplaceAllString(d.ID, "_") + ".jpg"
		f, err := zw.Create(img)
		if err != nil {
			return err
		}
		if _, err := f.Write(jpeg); err != nil {
			return err
		}
		n++
		rows = append(rows, reviewedRow(img, d))
		return nil
	})
	if err != nil {
		return 0, err
	}
	f, err := zw.Create("labels.csv")
	if err != nil {
		return 0, err
	}
	cw := csv.NewWriter(f)
	cw.Write(append([]string{"image", "label", "id", "pred_label", "pred_score", "model_version", "reviewed_by"}, reviewedMeta...))
	cw.WriteAll(rows)
	if err := cw.Error(); err != nil {
		return 0, err
	}
	spec, err := yaml.Marshal(dataset.Spec{CSV: "labels.csv", ImageColumn: "image", LabelColumn: "label", IDColumn: "id", MetadataColumns: reviewedMeta})
	if err != nil {
		return 0, err
	}
	if err := writeFile(zw, "dataset.yaml", spec); err != nil {
		return 0, err
	}
	return n, zw.Close()
}

// reviewedRow is one labels.csv row.
func reviewedRow(img string, d *Full) []string {
	num := func(x float64) string {
		if x == 0 {
			return ""
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	lat, lon := "", ""
	if d.Location.Lat != nil && d.Location.Lon != nil {
		lat, lon = strconv.FormatFloat(*d.Location.Lat, 'f', -1, 64), strconv.FormatFloat(*d.Location.Lon, 'f', -1, 64)
	}
	z := d.Size
	return []string{img, d.ReviewLabel, d.ID, d.Label, strconv.FormatFloat(d.Score, 'f', 4, 64), d.ModelVersion,
		d.ReviewedBy, d.Location.Country, d.Location.Region, lat, lon, d.LocalDate, fmtTime(d.CaptureTime), d.TrapID,
		num(z.ImageMeasurementValue), num(z.AreaFraction), num(z.ScaleFactor), num(z.AreaMM2), num(z.LengthMM),
		strings.TrimSpace(num(z.WidthMM))}
}
