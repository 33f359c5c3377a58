package hub

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"
)

// metaArchive is meta.xml as the Darwin Core text guide defines it.
type metaArchive struct {
	XMLName    xml.Name    `xml:"http://rs.tdwg.org/dwc/text/ archive"`
	Metadata   string      `xml:"metadata,attr"`
	Core       []metaTable `xml:"core"`
	Extensions []metaTable `xml:"extension"`
}

type metaTable struct {
	Encoding     string      `xml:"encoding,attr"`
	FieldsTerm   string      `xml:"fieldsTerminatedBy,attr"`
	LinesTerm    string      `xml:"linesTerminatedBy,attr"`
	Enclosed     string      `xml:"fieldsEnclosedBy,attr"`
	IgnoreHeader int         `xml:"ignoreHeaderLines,attr"`
	RowType      string      `xml:"rowType,attr"`
	Locations    []string    `xml:"files>location"`
	ID           *metaIndex  `xml:"id"`
	CoreID       *metaIndex  `xml:"coreid"`
	Fields       []metaField `xml:"field"`
}

type metaIndex struct {
	Index *int `xml:"index,attr"`
}

type metaField struct {
	Index   *int   `xml:"index,attr"`
	Term    string `xml:"term,attr"`
	Default string `xml:"default,attr"`
}

// CheckDwCA checks the structure of a Darwin Core Archive against the
// Darwin Core text guide: meta.xml (one core with an id, extensions with a
// coreid, row types and terms that are URIs, field indexes within the rows,
// no term twice), the data files it names (UTF-8, the declared separators,
// the same number of columns on every row), unique core ids, extension rows
// that refer to a core row, and a well-formed metadata document with a
// title. It returns every problem found, each naming file and line.
func CheckDwCA(r io.ReaderAt, size int64) []string {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return []string{"not a zip archive: " + err.Error()}
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	read := func(name string) ([]byte, error) {
		f := files[name]
		if f == nil {
			return nil, fmt.Errorf("%s: missing from the archive", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	var probs []string
	add := func(format string, a ...any) { probs = append(probs, fmt.Sprintf(format, a...)) }
	mb, err := read("meta.xml")
	if err != nil {
		return []string{err.Error()}
	}
	var meta metaArchive
	if err := xml.Unmarshal(mb, &meta); err != nil {
		return []string{"meta.xml: " + err.Error()}
	}
	if len(meta.Core) != 1 {
		add("meta.xml: %d core elements, want exactly 1", len(meta.Core))
		return probs
	}
	if meta.Metadata != "" {
		eb, err := read(meta.Metadata)
		if err != nil {
			add("meta.xml: metadata=%q: %v", meta.Metadata, err)
		} else {
			probs = append(probs, checkEML(meta.Metadata, eb)...)
		}
	}
	coreIDs, p := checkTable(read, "core", meta.Core[0], meta.Core[0].ID, nil)
	probs = append(probs, p...)
	for i, ext := range meta.Extensions {
		_, p := checkTable(read, fmt.Sprintf("extension %d", i+1), ext, ext.CoreID, coreIDs)
		probs = append(probs, p...)
	}
	return probs
}

// checkTable checks one core or extension and its data file. With coreIDs
// nil it is the core: its ids must be unique, and are returned; otherwise
// every id must be one of coreIDs.
func checkTable(read func(string) ([]byte, error), what string, t metaTable, id *metaIndex, coreIDs map[string]bool) (map[string]bool, []string) {
	var probs []string
	add := func(format string, a ...any) { probs = append(probs, fmt.Sprintf(what+": "+format, a...)) }
	if u, err := url.Parse(t.RowType); err != nil || !u.IsAbs() {
		add("rowType %q is not a URI", t.RowType)
	}
	if len(t.Locations) != 1 {
		add("%d file locations, want 1", len(t.Locations))
		return nil, probs
	}
	if id == nil || id.Index == nil {
		add("no id/coreid index")
		return nil, probs
	}
	if e := strings.ToUpper(t.Encoding); e != "UTF-8" && e != "UTF8" {
		add("encoding %q, want UTF-8", t.Encoding)
	}
	sep, lines := unescape(t.FieldsTerm), unescape(t.LinesTerm)
	if sep == "" || lines == "" {
		add("fieldsTerminatedBy %q or linesTerminatedBy %q empty", t.FieldsTerm, t.LinesTerm)
		return nil, probs
	}
	maxIdx, terms := *id.Index, map[string]bool{}
	for _, f := range t.Fields {
		if u, err := url.Parse(f.Term); err != nil || !u.IsAbs() {
			add("term %q is not a URI", f.Term)
		}
		if terms[f.Term] {
			add("term %s declared twice", f.Term)
		}
		terms[f.Term] = true
		if f.Index == nil && f.Default == "" {
			add("term %s has neither an index nor a default", f.Term)
		}
		if f.Index != nil {
			maxIdx = max(maxIdx, *f.Index)
		}
	}
	name := t.Locations[0]
	data, err := read(name)
	if err != nil {
		add("%v", err)
		return nil, probs
	}
	if !utf8.Valid(data) {
		add("%s is not valid UTF-8", name)
	}
	rows := strings.Split(strings.TrimSuffix(string(data), lines), lines)
	ids := map[string]bool{}
	cols := -1
	for i, row := range rows {
		if i < t.IgnoreHeader {
			continue
		}
		fields := strings.Split(row, sep)
		if cols < 0 {
			cols = len(fields)
		}
		if len(fields) != cols || len(fields) <= maxIdx {
			add("%s:%d: %d columns, want %d (and more than index %d)", name, i+1, len(fields), cols, maxIdx)
			continue
		}
		v := fields[*id.Index]
		switch {
		case v == "":
			add("%s:%d: empty id", name, i+1)
		case coreIDs == nil && ids[v]:
			add("%s:%d: core id %q repeated", name, i+1, v)
		case coreIDs != nil && !coreIDs[v]:
			add("%s:%d: coreid %q has no core row", name, i+1, v)
		}
		ids[v] = true
	}
	return ids, probs
}

// checkEML checks that the metadata document is well-formed XML with a
// dataset title.
func checkEML(name string, b []byte) []string {
	var doc struct {
		Title string `xml:"dataset>title"`
	}
	if err := xml.NewDecoder(bytes.NewReader(b)).Decode(&doc); err != nil {
		return []string{name + ": " + err.Error()}
	}
	if strings.TrimSpace(doc.Title) == "" {
		return []string{name + ": no dataset title"}
	}
	return nil
}

// unescape reads meta.xml's \t, \n and \r escapes.
func unescape(s string) string {
	return strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\r`, "\r").Replace(s)
}
