package hub

import (
	"context"
	"encoding/json"

	"github.com/trapnet/trapnet/agent"
)

// Full is a stored detection with its published payload and review.
type Full struct {
	agent.Detection
	Night, ReviewLabel, ReviewedBy string
}

// CountedLabel is the label the detection counts under (see NightCounts).
func (f *Full) CountedLabel() string {
	switch {
	case f.ReviewLabel != "":
		return f.ReviewLabel
	case f.Uncertain:
		return "uncertain"
	}
	return f.Label
}

// EachDetection calls fn for every detection f selects (ignoring its
// limit and offset), oldest first. A payload that no longer decodes is
// skipped and counted in the returned number.
func (s *Store) EachDetection(ctx context.Context, f Filter, fn func(*Full) error) (skipped int, err error) {
	where, args := f.where()
	rows, err := s.db.QueryContext(ctx, s.d.q(`SELECT d.payload, d.night, d.review_label, d.reviewed_by
		FROM detections d`+where+` ORDER BY d.capture_time, d.id`), args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var payload string
		var d Full
		if err := rows.Scan(&payload, &d.Night, &d.ReviewLabel, &d.ReviewedBy); err != nil {
			return skipped, err
		}
		if json.Unmarshal([]byte(payload), &d.Detection) != nil {
			skipped++
			continue
		}
		if err := fn(&d); err != nil {
			return skipped, err
		}
	}
	return skipped, rows.Err()
}
