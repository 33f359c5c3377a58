package hub

import (
	"database/sql"
	"fmt"

	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"
)

// OpenSQLite opens (creating if needed) the SQLite database file path in WAL
// mode with synchronous=FULL: a committed batch survives a kill -9 and a
// power cut.
func OpenSQLite(path string) (*Store, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	// One writer at a time; readers share the pool (WAL).
	db.SetMaxOpenConns(4)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	return open(db, dialect{name: "sqlite", blob: "BLOB"})
}
