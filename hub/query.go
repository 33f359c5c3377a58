package hub

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// effLabel is a detection's label as counted: the reviewer's label when
// there is one, "uncertain" for an unreviewed uncertain detection, else the
// model's label.
const effLabel = `CASE WHEN review_label <> '' THEN review_label WHEN uncertain = 1 THEN 'uncertain' ELSE label END`

// TrapRow is a trap with its latest status and health.
type TrapRow struct {
	ID, Status, ModelVersion, Country, Region string
	StatusAt, HealthAt, LastSeen              time.Time
	Lat, Lon                                  *float64
	// Health is the latest health report (nil before the first).
	Health     *agent.Health
	Detections int
	// CardChanged is the capture time of the latest frame on which the
	// trap's agent took its sticky card for a new one (zero for none).
	CardChanged time.Time
}

// Traps lists the traps by id.
func (s *Store) Traps(ctx context.Context) ([]TrapRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.id, t.status, t.status_at, t.health, t.health_at, t.model_version,
		t.lat, t.lon, t.country, t.region, t.last_seen, (SELECT COUNT(*) FROM detections d WHERE d.trap_id = t.id),
		(SELECT MAX(c.capture_time) FROM card_changes c WHERE c.trap_id = t.id)
		FROM traps t ORDER BY t.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TrapRow
	for rows.Next() {
		var r TrapRow
		var statusAt, health, healthAt, seen string
		var lat, lon sql.NullFloat64
		var card sql.NullString
		if err := rows.Scan(&r.ID, &r.Status, &statusAt, &health, &healthAt, &r.ModelVersion, &lat, &lon,
			&r.Country, &r.Region, &seen, &r.Detections, &card); err != nil {
			return nil, err
		}
		if card.Valid {
			r.CardChanged = parseTime(card.String)
		}
		r.StatusAt, r.HealthAt, r.LastSeen = parseTime(statusAt), parseTime(healthAt), parseTime(seen)
		if lat.Valid && lon.Valid {
			r.Lat, r.Lon = &lat.Float64, &lon.Float64
		}
		if health != "" {
			r.Health = new(agent.Health)
			if json.Unmarshal([]byte(health), r.Health) != nil {
				r.Health = nil
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AlertRow is a stored alert.
type AlertRow struct {
	ID, Trap, Rule string
	Time           time.Time
	Count          int
	Labels         []string
}

// Alerts returns the latest limit alerts, newest first.
func (s *Store) Alerts(ctx context.Context, limit int) ([]AlertRow, error) {
	rows, err := s.db.QueryContext(ctx, s.d.q(`SELECT id, trap_id, rule, time, count, payload FROM alerts ORDER BY time DESC, id LIMIT ?`), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AlertRow
	for rows.Next() {
		var r AlertRow
		var at, payload string
		if err := rows.Scan(&r.ID, &r.Trap, &r.Rule, &at, &r.Count, &payload); err != nil {
			return nil, err
		}
		r.Time = parseTime(at)
		var a agent.Alert
		if json.Unmarshal([]byte(payload), &a) == nil {
			r.Labels = a.Labels
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// NightCount is the number of specimens of one label on one trap-night.
type NightCount struct {
	Trap, Night, Label string
	N                  int
}

// NightCounts counts detections per trap, night and label (reviewed labels
// win; unreviewed uncertain ones count as "uncertain"), ordered by trap,
// night, label. An empty trap means every trap.
func (s *Store) NightCounts(ctx context.Context, trap string) ([]NightCount, error) {
	rows, err := s.db.QueryContext(ctx, s.d.q(`SELECT trap_id, night, `+effLabel+` AS l, COUNT(*) FROM detections
		WHERE (? = '' OR trap_id = ?) GROUP BY trap_id, night, l ORDER BY trap_id, night, l`), trap, trap)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NightCount
	for rows.Next() {
		var c NightCount
		if err := rows.Scan(&c.Trap, &c.Night, &c.Label, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Effort is one trap-night's sampling effort: the frames taken.
type Effort struct {
	Trap, Night       string
	Frames, Specimens int
	First, Last       time.Time
}

// Efforts lists every trap-night with frames or detections.
func (s *Store) Efforts(ctx context.Context) ([]Effort, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT trap_id, night, SUM(f), SUM(n), MIN(t0), MAX(t1) FROM (
		SELECT trap_id, night, COUNT(*) AS f, 0 AS n, MIN(capture_time) AS t0, MAX(capture_time) AS t1 FROM frames GROUP BY trap_id, night
		UNION ALL
		SELECT trap_id, night, 0, COUNT(*), MIN(capture_time), MAX(capture_time) FROM detections GROUP BY trap_id, night) u
		GROUP BY trap_id, night ORDER BY trap_id, night`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Effort
	for rows.Next() {
		var e Effort
		var t0, t1 string
		if err := rows.Scan(&e.Trap, &e.Night, &e.Frames, &e.Specimens, &t0, &t1); err != nil {
			return nil, err
		}
		e.First, e.Last = parseTime(t0), parseTime(t1)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Crop returns a detection's crop JPEG (nil if none was received).
func (s *Store) Crop(ctx context.Context, id string) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, s.d.q(`SELECT jpeg FROM crops WHERE detection_id = ?`), id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return b, err
}

// Review sets the reviewed label of the detections ids to label, by the
// user by, and returns how many exist.
func (s *Store) Review(ctx context.Context, ids []string, label, by string) (int, error) {
	label = strings.TrimSpace(label)
	if label == "" || len(label) > 200 {
		return 0, errors.New("review: the label must be 1 to 200 characters")
	}
	return s.review(ctx, ids, `UPDATE detections SET review_label = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?`, label, by)
}

// Confirm sets the reviewed label of the detections ids to the model's own
// label, by the user by, and returns how many exist.
func (s *Store) Confirm(ctx context.Context, ids []string, by string) (int, error) {
	return s.review(ctx, ids, `UPDATE detections SET review_label = label, reviewed_by = ?, reviewed_at = ? WHERE id = ?`, by)
}

// review runs query (its arguments: args, then the time, then the id) for
// each id in one transaction.
func (s *Store) review(ctx context.Context, ids []string, query string, args ...any) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	w := &writer{tx: tx, d: s.d, stmts: map[string]*sql.Stmt{}}
	n := 0
	now := fmtTime(time.Now())
	for _, id := range ids {
		ok, err := w.exec(ctx, query, append(args, now, id)...)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return n, tx.Commit()
}

// Labels lists every label given by a model or a reviewer, sorted.
func (s *Store) Labels(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT label FROM detections UNION SELECT review_label FROM detections WHERE review_label <> '' ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
