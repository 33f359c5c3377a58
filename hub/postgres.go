package hub

import (
	"database/sql"
	"fmt"
	"net/url"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
)

// OpenPostgres connects to PostgreSQL at dsn (postgres://...) and creates
// the schema.
func OpenPostgres(dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(8)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres %s: %w", redact(dsn), err)
	}
	return open(db, dialect{name: "postgres", blob: "BYTEA", dollar: true})
}

// withPassword puts pw into the URL dsn.
func withPassword(dsn, pw string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	u.User = url.UserPassword(u.User.Username(), pw)
	return u.String()
}

// redact drops the password from dsn for error messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	return u.Redacted()
}
