package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
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
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, explain(data, err))
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

var (
	lineRe    = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownRe = regexp.MustCompile(`^field (\S+) not found in type`)
)

// explain rewrites yaml.v3's "line N: ..." errors so they name the dotted key
// (e.g. mqtt.keepalive) the problem is at.
func explain(data []byte, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	msgs := make([]string, 0, len(te.Errors))
	for _, e := range te.Errors {
		m := lineRe.FindStringSubmatch(e)
		if m == nil {
			msgs = append(msgs, e)
			continue
		}
		line, _ := strconv.Atoi(m[1])
		if u := unknownRe.FindStringSubmatch(m[2]); u != nil {
			key := keyAt(&root, line, u[1], "")
			if key == "" {
				key = u[1]
			}
			msgs = append(msgs, fmt.Sprintf("line %d: unknown key %s", line, key))
			continue
		}
		key := keyAt(&root, line, "", "")
		if key == "" {
			msgs = append(msgs, e)
			continue
		}
		msgs = append(msgs, fmt.Sprintf("line %d: bad value for key %s: %s", line, key, m[2]))
	}
	return errors.New(strings.Join(msgs, "; "))
}

// keyAt finds the dotted path of the mapping key on line whose name is want
// (any key when want is empty, matched by its value's line).
func keyAt(n *yaml.Node, line int, want, path string) string {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if k := keyAt(c, line, want, path); k != "" {
				return k
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if want != "" && k.Line == line && k.Value == want {
				return p
			}
			if want == "" && v.Line == line && v.Kind == yaml.ScalarNode {
				return p
			}
			if r := keyAt(v, line, want, p); r != "" {
				return r
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			if want == "" && c.Line == line && c.Kind == yaml.ScalarNode {
				return p
			}
			if r := keyAt(c, line, want, p); r != "" {
				return r
			}
		}
	}
	return ""
}
