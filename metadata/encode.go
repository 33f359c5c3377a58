package metadata

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Row is one specimen's raw metadata: column name to text value. An absent
// column and an empty value both mean "missing".
type Row map[string]string

// missingWords are values that BIOSCAN-5M and friends use for "no value".
var missingWords = map[string]bool{"": true, "na": true, "n/a": true, "nan": true, "none": true, "null": true, "not collected": true}

func value(r Row, col string) (string, bool) {
	v, ok := r[col]
	if !ok {
		return "", false
	}
	v = strings.TrimSpace(v)
	if missingWords[strings.ToLower(v)] {
		return "", false
	}
	return v, true
}

// FieldError reports a value that could not be encoded. Encoding still
// succeeds (the field is encoded as missing); the error tells the caller why.
type FieldError struct {
	Field, Column, Value, Reason string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("metadata field %q (column %q): value %q: %s", e.Field, e.Column, e.Value, e.Reason)
}

// Encode appends the encoding of r to dst and returns it, plus one error per
// value that was present but unusable (those are encoded as missing). It
// never fails otherwise: unknown categories go to the unknown slot.
func (s *Schema) Encode(dst []float32, r Row) ([]float32, []error) {
	var errs []error
	for i := range s.Fields {
		var err error
		dst, err = s.Fields[i].encode(dst, r)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return dst, errs
}

func (f *Field) encode(dst []float32, r Row) ([]float32, error) {
	cols := f.columns()
	switch f.Kind {
	case Categorical:
		start := len(dst)
		dst = append(dst, make([]float32, len(f.Vocab)+2)...)
		v, ok := value(r, cols[0])
		if !ok {
			dst[start+len(f.Vocab)+1] = 1
			return dst, nil
		}
		for j, w := range f.Vocab {
			if w == v {
				dst[start+j] = 1
				return dst, nil
			}
		}
		dst[start+len(f.Vocab)] = 1
		return dst, nil
	case Numeric:
		x, present, err := f.numeric(r, cols[0])
		if !present {
			return append(dst, 0, 1), err
		}
		std := f.Std
		if !(std > 0) {
			std = 1
		}
		z := (x - f.Mean) / std
		z = math.Max(-10, math.Min(10, z)) // outliers must not dominate the net
		return append(dst, float32(z), 0), nil
	case Cyclic:
		phase, present, err := f.phase(r, cols[0])
		if !present {
			return append(dst, 0, 0, 1), err
		}
		return append(dst, float32(math.Sin(phase)), float32(math.Cos(phase)), 0), nil
	case Geo:
		lat, lon, present, err := geo(r, cols[0], cols[1], f.Name)
		if !present {
			return append(dst, 0, 0, 0, 1), err
		}
		la, lo := lat*math.Pi/180, lon*math.Pi/180
		return append(dst, float32(math.Cos(la)*math.Cos(lo)), float32(math.Cos(la)*math.Sin(lo)), float32(math.Sin(la)), 0), nil
	}
	return dst, &FieldError{Field: f.Name, Reason: "unknown kind " + string(f.Kind)}
}

// numeric parses a numeric field's value (applying Log). present is false when
// the value is missing or bad; err is set when it is bad.
func (f *Field) numeric(r Row, col string) (float64, bool, error) {
	v, ok := value(r, col)
	if !ok {
		return 0, false, nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false, &FieldError{Field: f.Name, Column: col, Value: v, Reason: "not a finite number"}
	}
	if f.Log {
		if x < 0 {
			return 0, false, &FieldError{Field: f.Name, Column: col, Value: v, Reason: "negative value for a log field"}
		}
		x = math.Log1p(x)
	}
	return x, true, nil
}

// dateLayouts are the date/time formats a Cyclic field accepts.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2006/01/02", "02/01/2006"}

// ParseTime parses the date/time formats metadata columns may hold.
func ParseTime(v string) (time.Time, error) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date (want e.g. 2024-06-30 or RFC 3339)")
}

func (f *Field) phase(r Row, col string) (float64, bool, error) {
	v, ok := value(r, col)
	if !ok {
		return 0, false, nil
	}
	var frac float64
	switch f.Cycle {
	case CycleDayOfYear, CycleHour:
		t, err := ParseTime(v)
		if err != nil {
			// A plain number is accepted too (day of year 1-366, hour 0-24).
			x, perr := strconv.ParseFloat(v, 64)
			if perr != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return 0, false, &FieldError{Field: f.Name, Column: col, Value: v, Reason: err.Error()}
			}
			if f.Cycle == CycleDayOfYear {
				frac = (x - 1) / 365.25
			} else {
				frac = x / 24
			}
		} else if f.Cycle == CycleDayOfYear {
			frac = float64(t.YearDay()-1) / 365.25
		} else {
			frac = (float64(t.Hour()) + float64(t.Minute())/60) / 24
		}
	default:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, false, &FieldError{Field: f.Name, Column: col, Value: v, Reason: "not a finite number"}
		}
		frac = x / f.Period
	}
	return 2 * math.Pi * frac, true, nil
}

func geo(r Row, latCol, lonCol, name string) (lat, lon float64, present bool, err error) {
	a, okA := value(r, latCol)
	b, okB := value(r, lonCol)
	if !okA || !okB {
		return 0, 0, false, nil
	}
	lat, e1 := strconv.ParseFloat(a, 64)
	lon, e2 := strconv.ParseFloat(b, 64)
	if e1 != nil || e2 != nil || math.IsNaN(lat) || math.IsNaN(lon) {
		return 0, 0, false, &FieldError{Field: name, Column: latCol + "," + lonCol, Value: a + "," + b, Reason: "not numeric coordinates"}
	}
	if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, false, &FieldError{Field: name, Column: latCol + "," + lonCol, Value: a + "," + b, Reason: "coordinates out of range"}
	}
	return lat, lon, true, nil
}

// Fitter accumulates training rows and fits a Schema's statistics. It keeps
// only counts and sums, so it can stream over millions of rows.
type Fitter struct {
	s      *Schema
	seen   []int64
	counts []map[string]int
	n      []float64
	sum    []float64
	sumSq  []float64
}

// NewFitter starts fitting s (which it will modify on Finish).
func NewFitter(s *Schema) (*Fitter, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	k := len(s.Fields)
	ft := &Fitter{s: s, seen: make([]int64, k), counts: make([]map[string]int, k), n: make([]float64, k), sum: make([]float64, k), sumSq: make([]float64, k)}
	for i := range ft.counts {
		ft.counts[i] = map[string]int{}
	}
	return ft, nil
}

// Add accounts for one training row.
func (ft *Fitter) Add(r Row) {
	for i := range ft.s.Fields {
		f := &ft.s.Fields[i]
		switch f.Kind {
		case Categorical:
			if v, ok := value(r, f.columns()[0]); ok {
				ft.counts[i][v]++
				ft.seen[i]++
			}
		case Numeric:
			if x, ok, _ := f.numeric(r, f.columns()[0]); ok {
				ft.n[i]++
				ft.sum[i] += x
				ft.sumSq[i] += x * x
				ft.seen[i]++
			}
		case Cyclic:
			if _, ok, _ := f.phase(r, f.columns()[0]); ok {
				ft.seen[i]++
			}
		case Geo:
			if _, _, ok, _ := geo(r, f.columns()[0], f.columns()[1], f.Name); ok {
				ft.seen[i]++
			}
		}
	}
}

// Finish writes the fitted statistics into the schema and marks it fitted.
func (ft *Fitter) Finish() *Schema {
	for i := range ft.s.Fields {
		f := &ft.s.Fields[i]
		f.Seen = ft.seen[i]
		switch f.Kind {
		case Categorical:
			maxV, minC := f.MaxVocab, f.MinCount
			if maxV <= 0 {
				maxV = 64
			}
			if minC <= 0 {
				minC = 1
			}
			var words []string
			for w, c := range ft.counts[i] {
				if c >= minC {
					words = append(words, w)
				}
			}
			sort.Slice(words, func(a, b int) bool {
				ca, cb := ft.counts[i][words[a]], ft.counts[i][words[b]]
				if ca != cb {
					return ca > cb
				}
				return words[a] < words[b]
			})
			if len(words) > maxV {
				words = words[:maxV]
			}
			f.Vocab = words
		case Numeric:
			f.Mean, f.Std = 0, 1
			if ft.n[i] > 0 {
				f.Mean = ft.sum[i] / ft.n[i]
				v := ft.sumSq[i]/ft.n[i] - f.Mean*f.Mean
				if v > 1e-12 {
					f.Std = math.Sqrt(v)
				}
			}
		}
	}
	ft.s.Fitted, ft.s.Counted = true, true
	return ft.s
}
