package hub

import (
	"context"
	"strings"
	"time"
)

// Filter selects detections; empty fields select everything.
type Filter struct {
	Trap, Label string
	// From and To bound the night (inclusive, YYYY-MM-DD).
	From, To string
	// Uncertain "yes"/"no"; Reviewed "yes"/"no".
	Uncertain, Reviewed string
	// MaxScore keeps detections scoring at most it (0: no bound).
	MaxScore float64
	// HasCrop keeps detections whose crop was received.
	HasCrop       bool
	Limit, Offset int
}

// DetRow is a stored detection.
type DetRow struct {
	ID, Trap, FrameID, Night, Label, ModelVersion string
	CaptureTime                                   time.Time
	Score                                         float64
	Uncertain, HasCrop                            bool
	ReviewLabel, ReviewedBy                       string
}

// hasCrop is true for a detection whose crop was received.
const hasCrop = "EXISTS (SELECT 1 FROM crops c WHERE c.detection_id = d.id)"

// where builds the WHERE clause of f.
func (f Filter) where() (string, []any) {
	var c []string
	var args []any
	add := func(cond string, a ...any) { c = append(c, cond); args = append(args, a...) }
	if f.Trap != "" {
		add("d.trap_id = ?", f.Trap)
	}
	if f.Label != "" {
		add(effLabel+" = ?", f.Label)
	}
	if f.From != "" {
		add("d.night >= ?", f.From)
	}
	if f.To != "" {
		add("d.night <= ?", f.To)
	}
	switch f.Uncertain {
	case "yes":
		add("d.uncertain = 1")
	case "no":
		add("d.uncertain = 0")
	}
	switch f.Reviewed {
	case "yes":
		add("d.review_label <> ''")
	case "no":
		add("d.review_label = ''")
	}
	if f.MaxScore > 0 {
		add("d.score <= ?", f.MaxScore)
	}
	if f.HasCrop {
		add(hasCrop)
	}
	if len(c) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(c, " AND "), args
}

// Detections returns one page of the detections f selects, newest first,
// and how many it selects in all.
func (s *Store) Detections(ctx context.Context, f Filter) ([]DetRow, int, error) {
	where, args := f.where()
	from := ` FROM detections d`
	var total int
	if err := s.db.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*)`+from+where), args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q := `SELECT d.id, d.trap_id, d.frame_id, d.night, d.label, d.model_version, d.capture_time, d.score, d.uncertain,
		` + hasCrop + `, d.review_label, d.reviewed_by` + from + where +
		` ORDER BY d.capture_time DESC, d.id DESC LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, s.d.q(q), append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := make([]DetRow, 0, f.Limit)
	for rows.Next() {
		var r DetRow
		var at string
		var unc int
		if err := rows.Scan(&r.ID, &r.Trap, &r.FrameID, &r.Night, &r.Label, &r.ModelVersion, &at, &r.Score, &unc,
			&r.HasCrop, &r.ReviewLabel, &r.ReviewedBy); err != nil {
			return nil, 0, err
		}
		r.CaptureTime, r.Uncertain = parseTime(at), unc == 1
		out = append(out, r)
	}
	return out, total, rows.Err()
}
