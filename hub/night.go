package hub

import (
	"context"
	"database/sql"
	"errors"
)

// Frame summaries carry no location: a frame's night is computed at its
// trap's longitude, known from the trap's detections. Frames stored before
// the first located detection (or before the trap moved) get their nights
// again when it arrives, so frames and detections of a night stay together.

// trapLon returns the trap's stored longitude (nil when unknown), read
// once per transaction.
func (w *writer) trapLon(ctx context.Context, trap string) (*float64, error) {
	if v, ok := w.lons[trap]; ok {
		return v, nil
	}
	var lon sql.NullFloat64
	err := w.tx.QueryRowContext(ctx, w.d.q(`SELECT lon FROM traps WHERE id = ?`), trap).Scan(&lon)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	var p *float64
	if lon.Valid {
		v := lon.Float64
		p = &v
	}
	w.lons[trap] = p
	return p, nil
}

// located notes the trap's longitude from a detection; when it is new, the
// trap's frames get their nights at it.
func (w *writer) located(ctx context.Context, trap string, lon float64) error {
	old, err := w.trapLon(ctx, trap)
	if err != nil || old != nil && *old == lon {
		return err
	}
	w.lons[trap] = &lon
	rows, err := w.tx.QueryContext(ctx, w.d.q(`SELECT id, capture_time FROM frames WHERE trap_id = ?`), trap)
	if err != nil {
		return err
	}
	type frame struct{ id, at string }
	var frames []frame
	for rows.Next() {
		var f frame
		if err := rows.Scan(&f.id, &f.at); err != nil {
			rows.Close()
			return err
		}
		frames = append(frames, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range frames {
		if _, err := w.exec(ctx, `UPDATE frames SET night = ? WHERE id = ?`, NightOf(parseTime(f.at), &lon), f.id); err != nil {
			return err
		}
	}
	return nil
}
