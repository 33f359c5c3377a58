package config

import (
	"fmt"
	"os"

	"github.com/trapnet/trapnet/internal/yamlstrict"
)

// Load reads, decodes and validates the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// Parse decodes YAML strictly over the defaults and validates the result.
// name is used in error messages.
func Parse(data []byte, name string) (*Config, error) {
	c := Default()
	if err := yamlstrict.Decode(data, name, &c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}
