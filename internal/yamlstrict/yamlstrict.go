// Package yamlstrict decodes configuration YAML strictly, with errors a
// person can act on: an unknown key or a bad value names its line and its
// dotted key (e.g. "line 7: unknown key mqtt.keepalve"). The agent's and
// the hub's configuration files are read with it.
package yamlstrict

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Decode decodes data into v (over the values v already holds: defaults),
// rejecting unknown keys; errors start with name (e.g. the file's path).
// An empty document leaves v as it is.
func Decode(data []byte, name string, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w", name, explain(data, err))
	}
	return nil
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
