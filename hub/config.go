package hub

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/trapnet/trapnet/agent/mqttpub"
	"github.com/trapnet/trapnet/internal/yamlstrict"
)

// Config is the hub's configuration file (deploy/hub.yaml has every key).
type Config struct {
	// Listen is the web page's address (default 127.0.0.1:8080: loopback
	// only unless told otherwise).
	Listen string `yaml:"listen"`
	// Database: driver "sqlite" (path) or "postgres" (dsn).
	Database Database `yaml:"database"`
	MQTT     MQTT     `yaml:"mqtt"`
	// UsersFile holds the page's users, one "name:bcrypt-hash" a line
	// (written by `hub passwd`).
	UsersFile string `yaml:"users_file"`
	// Dataset describes the hub's records in the exports.
	Dataset DatasetInfo `yaml:"dataset"`
}

// Database selects and locates the database.
type Database struct {
	Driver string `yaml:"driver"`
	Path   string `yaml:"path"`
	// DSN is PostgreSQL's connection string (postgres://user@host/db); a
	// password belongs in PasswordFile, not here.
	DSN          string `yaml:"dsn"`
	PasswordFile string `yaml:"password_file"`
}

// MQTT is the broker connection (the same keys as the agent's).
type MQTT struct {
	Broker       string `yaml:"broker"`
	ClientID     string `yaml:"client_id"`
	Root         string `yaml:"root"`
	Username     string `yaml:"username"`
	PasswordFile string `yaml:"password_file"`
	CAFile       string `yaml:"ca_file"`
	CertFile     string `yaml:"cert_file"`
	KeyFile      string `yaml:"key_file"`
}

// DatasetInfo names the dataset in the Darwin Core Archive's eml.xml.
type DatasetInfo struct {
	Title       string `yaml:"title"`
	Publisher   string `yaml:"publisher"`
	Contact     string `yaml:"contact"`
	License     string `yaml:"license"`
	Description string `yaml:"description"`
}

// DefaultConfig is the configuration with every default filled in.
func DefaultConfig() Config {
	return Config{
		Listen:   "127.0.0.1:8080",
		Database: Database{Driver: "sqlite", Path: "/var/lib/trapnet/hub.db"},
		MQTT:     MQTT{ClientID: "trapnet-hub", Root: "trapnet"},
		Dataset: DatasetInfo{Title: "trapnet insect trap records", Publisher: "trapnet",
			License: "http://creativecommons.org/licenses/by/4.0/legalcode"},
	}
}

// LoadConfig reads path strictly (unknown keys are errors naming the line)
// over the defaults and checks it; errors name the file and the key.
func LoadConfig(path string) (Config, error) {
	c := DefaultConfig()
	b, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	if err := yamlstrict.Decode(b, path, &c); err != nil {
		return c, err
	}
	if err := c.Check(); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Check validates the values; errors name the key.
func (c Config) Check() error {
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fmt.Errorf("listen: %q: %w", c.Listen, err)
	}
	switch c.Database.Driver {
	case "sqlite":
		if c.Database.Path == "" {
			return errors.New("database.path: empty (the SQLite file)")
		}
	case "postgres":
		if !strings.HasPrefix(c.Database.DSN, "postgres://") && !strings.HasPrefix(c.Database.DSN, "postgresql://") {
			return fmt.Errorf("database.dsn: %q is not a postgres:// URL", c.Database.DSN)
		}
	default:
		return fmt.Errorf("database.driver: %q is neither sqlite nor postgres", c.Database.Driver)
	}
	if c.MQTT.Broker != "" && !strings.Contains(c.MQTT.Broker, "://") {
		return fmt.Errorf("mqtt.broker: %q is not a URL (tcp://host:1883, ssl://host:8883)", c.MQTT.Broker)
	}
	if !trapIDRe.MatchString(c.MQTT.Root) {
		return fmt.Errorf("mqtt.root: %q is not one topic segment", c.MQTT.Root)
	}
	if c.UsersFile == "" {
		return errors.New("users_file: empty (create one with `hub passwd`)")
	}
	return nil
}

// OpenStore opens the configured database.
func (c Config) OpenStore() (*Store, error) {
	if c.Database.Driver == "postgres" {
		dsn := c.Database.DSN
		if c.Database.PasswordFile != "" {
			pw, err := mqttpub.ReadPassword(c.Database.PasswordFile)
			if err != nil {
				return nil, fmt.Errorf("database.password_file: %w", err)
			}
			dsn = withPassword(dsn, pw)
		}
		return OpenPostgres(dsn)
	}
	return OpenSQLite(c.Database.Path)
}

// IngestOptions returns the ingester's options from the mqtt keys, reading
// the password and TLS files.
func (c Config) IngestOptions() (IngestOptions, error) {
	m := c.MQTT
	o := IngestOptions{Broker: m.Broker, ClientID: m.ClientID, Root: m.Root, Username: m.Username}
	if m.PasswordFile != "" {
		pw, err := mqttpub.ReadPassword(m.PasswordFile)
		if err != nil {
			return o, err
		}
		o.Password = pw
	}
	if strings.HasPrefix(m.Broker, "ssl://") || strings.HasPrefix(m.Broker, "tls://") || m.CAFile != "" || m.CertFile != "" {
		t, err := mqttpub.TLSConfig(m.CAFile, m.CertFile, m.KeyFile)
		if err != nil {
			return o, err
		}
		o.TLS = t
	}
	return o, nil
}
