package hub

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Store is the hub's database: SQLite (OpenSQLite) or PostgreSQL
// (OpenPostgres), one implementation over database/sql.
type Store struct {
	db *sql.DB
	d  dialect
}

// dialect is what differs between the databases.
type dialect struct {
	name string
	blob string // binary column type
	// dollar: placeholders are $1, $2 (PostgreSQL) instead of ?.
	dollar bool
}

// q rewrites the ? placeholders of query for the dialect.
func (d dialect) q(query string) string {
	if !d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// schema creates the tables; every statement is idempotent.
func (d dialect) schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS traps (id TEXT PRIMARY KEY, status TEXT NOT NULL DEFAULT '',
			status_at TEXT NOT NULL DEFAULT '', health TEXT NOT NULL DEFAULT '', health_at TEXT NOT NULL DEFAULT '',
			model_version TEXT NOT NULL DEFAULT '', lat DOUBLE PRECISION, lon DOUBLE PRECISION,
			country TEXT NOT NULL DEFAULT '', region TEXT NOT NULL DEFAULT '', last_seen TEXT NOT NULL DEFAULT '')`,
		`CREATE TABLE IF NOT EXISTS detections (id TEXT PRIMARY KEY, trap_id TEXT NOT NULL, frame_id TEXT NOT NULL,
			capture_time TEXT NOT NULL, night TEXT NOT NULL, label TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,
			uncertain INTEGER NOT NULL, model_version TEXT NOT NULL, payload TEXT NOT NULL,
			review_label TEXT NOT NULL DEFAULT '', reviewed_by TEXT NOT NULL DEFAULT '', reviewed_at TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX IF NOT EXISTS detections_trap_night ON detections (trap_id, night)`,
		`CREATE INDEX IF NOT EXISTS detections_time_id ON detections (capture_time, id)`,
		`CREATE TABLE IF NOT EXISTS frames (id TEXT PRIMARY KEY, trap_id TEXT NOT NULL, capture_time TEXT NOT NULL,
			night TEXT NOT NULL, specimens INTEGER NOT NULL, new INTEGER NOT NULL, payload TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS frames_trap_night ON frames (trap_id, night)`,
		// The frames on which a trap's agent took its sticky card for a
		// new one (agent.FrameSummary.NewCard).
		`CREATE TABLE IF NOT EXISTS card_changes (frame_id TEXT PRIMARY KEY, trap_id TEXT NOT NULL, capture_time TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS card_changes_trap ON card_changes (trap_id, capture_time)`,
		`CREATE TABLE IF NOT EXISTS alerts (id TEXT PRIMARY KEY, trap_id TEXT NOT NULL, rule TEXT NOT NULL,
			time TEXT NOT NULL, count INTEGER NOT NULL, payload TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS health (id TEXT PRIMARY KEY, trap_id TEXT NOT NULL, time TEXT NOT NULL, payload TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS crops (detection_id TEXT PRIMARY KEY, trap_id TEXT NOT NULL, jpeg ` + d.blob + ` NOT NULL)`,
	}
}

// open creates the schema on db.
func open(db *sql.DB, d dialect) (*Store, error) {
	for _, s := range d.schema() {
		if _, err := db.Exec(s); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s schema: %w", d.name, err)
		}
	}
	return &Store{db: db, d: d}, nil
}

// DB is the underlying database (exports, tests).
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Apply stores the records in one transaction. Detections, frames, alerts,
// health reports and crops already stored (same id) are left as they are,
// so a message delivered twice is counted once; a trap's status and latest
// health move forward only (an older message never overwrites a newer one).
// It returns how many records were new.
func (s *Store) Apply(ctx context.Context, recs []Record) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	w := &writer{tx: tx, d: s.d, stmts: map[string]*sql.Stmt{}, seen: map[string]string{}, lons: map[string]*float64{}}
	n := 0
	for i := range recs {
		added, err := w.apply(ctx, &recs[i])
		if err != nil {
			return 0, fmt.Errorf("%s %s of trap %s: %w", recs[i].Kind, recs[i].ID, recs[i].Trap, err)
		}
		if added {
			n++
		}
	}
	if err := w.flush(ctx); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}
