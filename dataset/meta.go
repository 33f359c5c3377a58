package dataset

import (
	"sort"
	"strings"

	"github.com/trapnet/trapnet/metadata"
)

// metaSep separates packed values; it never occurs in a packed value.
const metaSep = "\x1f"

// MetaColumns is the ordered list of metadata column names shared by all
// samples of a dataset.
type MetaColumns []string

// Meta is a sample's metadata: one text value per column of a shared
// MetaColumns, packed into one string so that millions of samples stay
// small (about 24 bytes plus the text, against ~300 bytes for a map).
// Use Row (or Fill) to get the metadata.Row that metadata.Schema encodes.
type Meta struct {
	cols   *MetaColumns
	packed string
}

// NewMeta packs row (e.g. for a hand-built Sample). Columns are sorted by
// name; empty values are dropped.
func NewMeta(row metadata.Row) Meta {
	cols := make(MetaColumns, 0, len(row))
	for k, v := range row {
		if v != "" {
			cols = append(cols, k)
		}
	}
	sort.Strings(cols)
	vals := make([]string, len(cols))
	for i, c := range cols {
		vals[i] = row[c]
	}
	return packMeta(&cols, vals)
}

// packMeta packs vals (one per column of cols).
func packMeta(cols *MetaColumns, vals []string) Meta {
	empty := true
	for _, v := range vals {
		if v != "" {
			empty = false
			break
		}
	}
	if empty {
		return Meta{cols: cols}
	}
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteString(metaSep)
		}
		b.WriteString(strings.ReplaceAll(v, metaSep, " "))
	}
	return Meta{cols: cols, packed: b.String()}
}

// Columns returns the column names (shared; do not modify).
func (m Meta) Columns() []string {
	if m.cols == nil {
		return nil
	}
	return *m.cols
}

// Get returns the value of column col and whether it is present (non-empty).
func (m Meta) Get(col string) (string, bool) {
	if m.cols == nil || m.packed == "" {
		return "", false
	}
	rest := m.packed
	for _, c := range *m.cols {
		v, tail, _ := strings.Cut(rest, metaSep)
		if c == col {
			return v, v != ""
		}
		rest = tail
	}
	return "", false
}

// Fill clears r and sets every present column of m into it. Reusing one
// map per goroutine avoids an allocation per sample.
func (m Meta) Fill(r metadata.Row) {
	clear(r)
	if m.cols == nil || m.packed == "" {
		return
	}
	rest := m.packed
	for _, c := range *m.cols {
		var v string
		v, rest, _ = strings.Cut(rest, metaSep)
		if v != "" {
			r[c] = v
		}
	}
}

// Row returns the metadata as a new metadata.Row (column name -> text).
func (m Meta) Row() metadata.Row {
	r := metadata.Row{}
	m.Fill(r)
	return r
}
