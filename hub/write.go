package hub

import (
	"context"
	"database/sql"
	"time"
)

// writer applies records inside one transaction, preparing each statement
// once; each trap's row is created and its last-seen time moved once per
// transaction.
type writer struct {
	tx    *sql.Tx
	d     dialect
	stmts map[string]*sql.Stmt
	// seen is the latest time of each trap in this transaction ("" when
	// none of its records had a time).
	seen map[string]string
	// lons are the traps' longitudes (nil: unknown), see trapLon.
	lons map[string]*float64
}

// flush moves each trap's last-seen time forward.
func (w *writer) flush(ctx context.Context) error {
	for trap, at := range w.seen {
		if at == "" {
			continue
		}
		if _, err := w.exec(ctx, updSeen, at, trap, at); err != nil {
			return err
		}
	}
	return nil
}

// exec runs query (prepared once per transaction) and reports whether it
// changed a row.
func (w *writer) exec(ctx context.Context, query string, args ...any) (bool, error) {
	st, ok := w.stmts[query]
	if !ok {
		var err error
		if st, err = w.tx.PrepareContext(ctx, w.d.q(query)); err != nil {
			return false, err
		}
		w.stmts[query] = st
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

const (
	insTrap = `INSERT INTO traps (id) VALUES (?) ON CONFLICT (id) DO NOTHING`
	// seen moves last_seen forward only.
	updSeen = `UPDATE traps SET last_seen = ? WHERE id = ? AND last_seen < ?`
	updLoc  = `UPDATE traps SET lat = ?, lon = ?, country = ?, region = ? WHERE id = ?`
	updStat = `UPDATE traps SET status = ?, status_at = ? WHERE id = ? AND status_at <= ?`
	updHlth = `UPDATE traps SET health = ?, health_at = ?, model_version = ? WHERE id = ? AND health_at < ?`
	insDet  = `INSERT INTO detections (id, trap_id, frame_id, capture_time, night, label, score, uncertain, model_version, payload)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`
	insFrame = `INSERT INTO frames (id, trap_id, capture_time, night, specimens, new, payload)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`
	insAlert = `INSERT INTO alerts (id, trap_id, rule, time, count, payload) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`
	insHlth  = `INSERT INTO health (id, trap_id, time, payload) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`
	insCrop  = `INSERT INTO crops (detection_id, trap_id, jpeg) VALUES (?, ?, ?) ON CONFLICT (detection_id) DO NOTHING`
	insCard  = `INSERT INTO card_changes (frame_id, trap_id, capture_time) VALUES (?, ?, ?) ON CONFLICT (frame_id) DO NOTHING`
)

// apply stores one record; it reports whether the record was new.
func (w *writer) apply(ctx context.Context, r *Record) (bool, error) {
	if _, ok := w.seen[r.Trap]; !ok {
		if _, err := w.exec(ctx, insTrap, r.Trap); err != nil {
			return false, err
		}
		w.seen[r.Trap] = ""
	}
	var at time.Time
	added := false
	var err error
	switch r.Kind {
	case KindStatus:
		// A retained status carries no time: it is taken as of its arrival.
		at = time.Now()
		added, err = w.exec(ctx, updStat, r.Status, fmtTime(at), r.Trap, fmtTime(at))
	case KindDetection:
		d := r.Det
		at = d.CaptureTime
		unc := 0
		if d.Uncertain {
			unc = 1
		}
		added, err = w.exec(ctx, insDet, d.ID, d.TrapID, d.FrameID, fmtTime(d.CaptureTime), NightOf(d.CaptureTime, d.Location.Lon),
			d.Label, d.Score, unc, d.ModelVersion, string(r.Raw))
		if err == nil && added && d.Location.Lat != nil && d.Location.Lon != nil {
			if err = w.located(ctx, d.TrapID, *d.Location.Lon); err == nil {
				_, err = w.exec(ctx, updLoc, *d.Location.Lat, *d.Location.Lon, d.Location.Country, d.Location.Region, d.TrapID)
			}
		}
	case KindFrame:
		f := r.Frame
		at = f.CaptureTime
		var lon *float64
		if lon, err = w.trapLon(ctx, f.TrapID); err == nil {
			added, err = w.exec(ctx, insFrame, f.ID, f.TrapID, fmtTime(f.CaptureTime), NightOf(f.CaptureTime, lon), f.Specimens, f.New, string(r.Raw))
		}
		if err == nil && f.NewCard {
			_, err = w.exec(ctx, insCard, f.ID, f.TrapID, fmtTime(f.CaptureTime))
		}
	case KindAlert:
		a := r.Alert
		at = a.Time
		added, err = w.exec(ctx, insAlert, a.ID, a.TrapID, a.Rule, fmtTime(a.Time), a.Count, string(r.Raw))
	case KindHealth:
		h := r.Health
		at = h.Time
		added, err = w.exec(ctx, insHlth, r.ID, r.Trap, fmtTime(h.Time), string(r.Raw))
		if err == nil {
			_, err = w.exec(ctx, updHlth, string(r.Raw), fmtTime(h.Time), h.ModelVersion, r.Trap, fmtTime(h.Time))
		}
	case KindCrop:
		added, err = w.exec(ctx, insCrop, r.Crop.DetectionID, r.Trap, r.Crop.JPEG)
	}
	if err == nil && !at.IsZero() {
		if t := fmtTime(at); t > w.seen[r.Trap] {
			w.seen[r.Trap] = t
		}
	}
	return added, err
}
