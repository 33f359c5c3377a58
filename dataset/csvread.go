package dataset

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// header maps lower-cased, trimmed column names to their index.
type header struct {
	names []string
	idx   map[string]int
}

func newHeader(rec []string) (*header, error) {
	h := &header{idx: map[string]int{}}
	for i, n := range rec {
		if i == 0 {
			n = strings.TrimPrefix(n, "\ufeff")
		}
		n = strings.ToLower(strings.TrimSpace(n))
		h.names = append(h.names, n)
		if n == "" {
			continue
		}
		if _, dup := h.idx[n]; dup {
			return nil, fmt.Errorf("duplicate column %q", n)
		}
		h.idx[n] = i
	}
	return h, nil
}

// col returns the index of column name, or -1.
func (h *header) col(name string) int {
	if i, ok := h.idx[strings.ToLower(strings.TrimSpace(name))]; ok {
		return i
	}
	return -1
}

// rowFunc receives one well-formed data row (len(rec) == len(h.names)); rec
// is reused after it returns.
type rowFunc func(line int, rec []string)

// readCSV reads a CSV with a header line from r, calling onHeader once and
// then fn for each row with the right number of fields. Rows with the wrong
// number of fields or CSV syntax errors are reported as BadRow (naming file
// and line) and skipped. Only a missing or unusable header, or a read error,
// is returned as an error.
func readCSV(r io.Reader, file string, rep *Report, onHeader func(*header) error, fn rowFunc) error {
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<16))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if err == io.EOF {
		return fmt.Errorf("%s: empty file (no header line)", file)
	}
	if err != nil {
		return fmt.Errorf("%s: header: %w", file, err)
	}
	h, err := newHeader(rec)
	if err != nil {
		return fmt.Errorf("%s: header: %w", file, err)
	}
	if err := onHeader(h); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	lastOff := cr.InputOffset()
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line := 0
		if err == nil || errors.Is(err, csv.ErrFieldCount) {
			line, _ = cr.FieldPos(0)
		}
		rep.mu.Lock()
		rep.RowsRead++
		rep.mu.Unlock()
		var pe *csv.ParseError
		switch {
		case err == nil:
		case errors.As(err, &pe):
			rep.Add(Issue{Kind: BadRow, File: file, Line: pe.StartLine, Reason: "CSV syntax: " + pe.Err.Error()})
			if cr.InputOffset() == lastOff {
				return fmt.Errorf("%s:%d: CSV reader made no progress: %w", file, pe.StartLine, err)
			}
			lastOff = cr.InputOffset()
			continue
		default:
			return fmt.Errorf("%s: reading line %d: %w", file, line, err)
		}
		lastOff = cr.InputOffset()
		if len(rec) != len(h.names) {
			rep.Add(Issue{Kind: BadRow, File: file, Line: line, Reason: fmt.Sprintf("has %d fields, header has %d", len(rec), len(h.names))})
			continue
		}
		fn(line, rec)
	}
}

// missingLabels are values meaning "no label at this rank".
var missingLabels = map[string]bool{"": true, "na": true, "n/a": true, "nan": true, "none": true, "null": true, "not_classified": true, "not classified": true, "unclassified": true}

// cleanLabel returns the trimmed label, or "" when it means missing.
func cleanLabel(v string) string {
	v = strings.TrimSpace(v)
	if missingLabels[strings.ToLower(v)] {
		return ""
	}
	return v
}

// splitAliases maps accepted split spellings to canonical names.
var splitAliases = map[string]string{"validation": SplitVal, "valid": SplitVal, "dev": SplitVal, "training": SplitTrain, "testing": SplitTest}

// canonicalSplit returns the canonical split name, or "" if unknown.
func canonicalSplit(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if contains(Splits, v) {
		return v
	}
	return splitAliases[v]
}

// numericColumns are metadata columns that must hold numbers.
var numericColumns = map[string]bool{"image_measurement_value": true, "area_fraction": true, "scale_factor": true}

// Coordinate column names (BIOSCAN-5M's).
const (
	colLat = "coord-lat"
	colLon = "coord-lon"
)

var missingValues = map[string]bool{"": true, "na": true, "n/a": true, "nan": true, "none": true, "null": true, "not collected": true}

func isMissing(v string) bool { return missingValues[strings.ToLower(strings.TrimSpace(v))] }

func finite(v string) bool {
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
}

// checkMeta validates the metadata values vals (aligned with cols) in place:
// unusable coordinates (both blanked) and non-numeric numeric columns are
// blanked and reported as BadValue; the row is kept.
func checkMeta(cols []string, vals []string, file string, line int, rep *Report) {
	lat, lon := -1, -1
	for i, c := range cols {
		switch {
		case c == colLat:
			lat = i
		case c == colLon:
			lon = i
		case numericColumns[c] && !isMissing(vals[i]) && !finite(vals[i]):
			rep.Add(Issue{Kind: BadValue, File: file, Line: line, Reason: fmt.Sprintf("column %s: %q is not a number (kept as missing)", c, vals[i])})
			vals[i] = ""
		}
	}
	if lat < 0 || lon < 0 {
		return
	}
	a, b := vals[lat], vals[lon]
	if isMissing(a) && isMissing(b) {
		return
	}
	reason := ""
	if isMissing(a) || isMissing(b) {
		reason = "only one of latitude/longitude given"
	} else {
		x, e1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
		y, e2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
		switch {
		case e1 != nil || e2 != nil || math.IsNaN(x) || math.IsNaN(y):
			reason = "coordinates are not numeric"
		case x < -90 || x > 90 || y < -180 || y > 180:
			reason = "coordinates out of range"
		}
	}
	if reason != "" {
		rep.Add(Issue{Kind: BadValue, File: file, Line: line, Reason: fmt.Sprintf("%s (%s=%q, %s=%q; kept as missing)", reason, colLat, a, colLon, b)})
		vals[lat], vals[lon] = "", ""
	}
}

// interner deduplicates repeated strings (labels, splits, path prefixes).
type interner map[string]string

func (in interner) get(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}
