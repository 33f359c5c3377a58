package agent

import (
	"strconv"
	"time"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/metadata"
)

// MetaRow builds the metadata row of one specimen from the trap's
// configuration, the capture time and the measured size, with the column
// names of BIOSCAN-5M (and of the trainer's default schema):
//
//	country, province_state        trap.location.country / region
//	coord-lat, coord-lon           trap.location.lat / lon
//	date                           local capture date (YYYY-MM-DD; day_of_year)
//	datetime, datetime_utc, hour   local/UTC capture time, local hour 0-23
//	trap_id                        trap.id
//	image_measurement_value        specimen area in BIOSCAN-5M reference pixels
//	area_fraction, scale_factor    crop share of a reference original, crop
//	                               short side / 256 (see detect.ReferenceSizeFields)
//	area_mm2, length_mm, width_mm  sizes from capture.pixels_per_mm
//
// plus every trap.static column (static keys never override the above).
// Size columns are left out (missing) when the size is unknown (AreaPx 0).
// The row is encoded with the schema shipped in the model file, so columns
// the model's schema does not read are simply ignored.
func MetaRow(cfg *config.Config, capture time.Time, size Size) metadata.Row {
	r := metadata.Row{}
	for k, v := range cfg.Trap.Static {
		r[k] = v
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 8, 64) }
	loc := cfg.Trap.Location
	set := func(k, v string) {
		if v != "" {
			r[k] = v
		}
	}
	set("country", loc.Country)
	set("province_state", loc.Region)
	if loc.Lat != nil && loc.Lon != nil {
		r["coord-lat"], r["coord-lon"] = f(*loc.Lat), f(*loc.Lon)
	}
	local := capture.In(cfg.Location())
	r["date"] = local.Format("2006-01-02")
	r["datetime"] = local.Format(time.RFC3339)
	r["datetime_utc"] = capture.UTC().Format(time.RFC3339)
	r["hour"] = strconv.Itoa(local.Hour())
	r["trap_id"] = cfg.Trap.ID
	if size.AreaPx > 0 {
		r["image_measurement_value"] = f(size.ImageMeasurementValue)
		r["area_fraction"] = f(size.AreaFraction)
		r["scale_factor"] = f(size.ScaleFactor)
		r["area_mm2"] = f(size.AreaMM2)
		r["length_mm"] = f(size.LengthMM)
		r["width_mm"] = f(size.WidthMM)
	}
	return r
}
