// Package metadata turns the side information of a specimen (where and when it
// was caught, how big it is, which trap caught it) into a fixed-length float
// vector. The same Schema, fitted on the training split by the trainer and
// shipped inside the .tflite model, is used by the agent at capture time, so
// the model sees identical encodings in training and in the field.
package metadata

import (
	"encoding/json"
	"fmt"
	"os"
)

// Kind says how a field is encoded.
type Kind string

// The field kinds.
const (
	// Categorical: one-hot over a vocabulary fitted on train, plus an
	// "unknown" slot (value not in vocabulary) and a "missing" slot.
	Categorical Kind = "categorical"
	// Numeric: standardised value (optionally of log1p) plus a missing flag.
	Numeric Kind = "numeric"
	// Cyclic: sin and cos of the phase plus a missing flag. The column holds
	// either a date/time (see Cycle) or a plain number in [0, Period).
	Cyclic Kind = "cyclic"
	// Geo: latitude/longitude (two columns) as a point on the unit sphere
	// (x, y, z) plus a missing flag.
	Geo Kind = "geo"
)

// Cycles understood by Cyclic fields whose column holds a date or time.
const (
	CycleDayOfYear = "day_of_year"
	CycleHour      = "hour"
)

// Field is one input of the schema and, once fitted, its statistics.
type Field struct {
	// Name identifies the field; for single-column kinds it is also the
	// column name unless Columns says otherwise.
	Name string `json:"name"`
	// Kind selects the encoding.
	Kind Kind `json:"kind"`
	// Columns are the source columns: one for most kinds, [lat, lon] for Geo.
	Columns []string `json:"columns,omitempty"`
	// Log applies log1p before standardising (Numeric; values must be >= 0).
	Log bool `json:"log,omitempty"`
	// Cycle is CycleDayOfYear or CycleHour for a Cyclic field fed with dates;
	// empty means the column holds a number in [0, Period).
	Cycle string `json:"cycle,omitempty"`
	// Period of a numeric Cyclic field.
	Period float64 `json:"period,omitempty"`
	// MaxVocab caps a Categorical vocabulary (0: 64).
	MaxVocab int `json:"max_vocab,omitempty"`
	// MinCount is the fewest training rows a category needs to get its own
	// slot (0: 1).
	MinCount int `json:"min_count,omitempty"`

	// Fitted statistics.

	// Vocab is the fitted vocabulary of a Categorical field, most frequent first.
	Vocab []string `json:"vocab,omitempty"`
	// Mean and Std of a Numeric field (after Log when set).
	Mean float64 `json:"mean,omitempty"`
	Std  float64 `json:"std,omitempty"`
	// Seen counts the training rows that had a usable value for this field
	// (set by Fit when Schema.Counted). A field with Seen == 0 was encoded
	// as missing for every training sample, so inference must do the same.
	Seen int64 `json:"seen,omitempty"`
}

// Schema is an ordered list of fields. Its encoding is the concatenation of
// each field's encoding in order.
type Schema struct {
	// Version of the schema format.
	Version int `json:"version"`
	// Fields in encoding order.
	Fields []Field `json:"fields"`
	// Fitted is true once Fit has set the statistics.
	Fitted bool `json:"fitted"`
	// Counted is true when the fitted fields carry Seen counts (schemas
	// fitted by older code do not).
	Counted bool `json:"counted,omitempty"`
}

// Unseen returns the source columns of fields that no training row had a
// value for, when the schema carries counts (Counted); otherwise nil. The
// model saw them as missing only, so a caller should leave them missing.
func (s *Schema) Unseen() []string {
	if !s.Counted {
		return nil
	}
	var cols []string
	for i := range s.Fields {
		if s.Fields[i].Seen == 0 {
			cols = append(cols, s.Fields[i].columns()...)
		}
	}
	return cols
}

// SchemaVersion is the version written by this code.
const SchemaVersion = 1

// DefaultBIOSCAN returns the unfitted default schema for BIOSCAN-5M metadata,
// extended with the fields a trap attaches at capture time (date, hour,
// trap id). Fields absent from a source simply encode as missing.
func DefaultBIOSCAN() *Schema {
	return &Schema{Version: SchemaVersion, Fields: []Field{
		{Name: "country", Kind: Categorical},
		{Name: "province_state", Kind: Categorical},
		{Name: "coord", Kind: Geo, Columns: []string{"coord-lat", "coord-lon"}},
		{Name: "image_measurement_value", Kind: Numeric, Log: true},
		{Name: "area_fraction", Kind: Numeric},
		{Name: "scale_factor", Kind: Numeric},
		{Name: "day_of_year", Kind: Cyclic, Columns: []string{"date"}, Cycle: CycleDayOfYear},
	}}
}

// Columns returns every source column the schema reads, in order.
func (s *Schema) Columns() []string {
	var cols []string
	for i := range s.Fields {
		cols = append(cols, s.Fields[i].columns()...)
	}
	return cols
}

func (f *Field) columns() []string {
	if len(f.Columns) > 0 {
		return f.Columns
	}
	return []string{f.Name}
}

// Width is the number of floats this field encodes to.
func (f *Field) Width() int {
	switch f.Kind {
	case Categorical:
		return len(f.Vocab) + 2
	case Numeric:
		return 2
	case Cyclic:
		return 3
	case Geo:
		return 4
	}
	return 0
}

// Dim is the length of the encoded vector. It is only meaningful once fitted
// (a categorical field's width depends on its vocabulary).
func (s *Schema) Dim() int {
	n := 0
	for i := range s.Fields {
		n += s.Fields[i].Width()
	}
	return n
}

// Validate checks the schema's structure.
func (s *Schema) Validate() error {
	seen := map[string]bool{}
	for i := range s.Fields {
		f := &s.Fields[i]
		where := fmt.Sprintf("metadata schema field %d (%q)", i, f.Name)
		if f.Name == "" {
			return fmt.Errorf("metadata schema field %d: empty name", i)
		}
		if seen[f.Name] {
			return fmt.Errorf("%s: duplicate name", where)
		}
		seen[f.Name] = true
		switch f.Kind {
		case Categorical, Numeric:
			if len(f.Columns) > 1 {
				return fmt.Errorf("%s: kind %s takes one column, got %d", where, f.Kind, len(f.Columns))
			}
		case Cyclic:
			if len(f.Columns) > 1 {
				return fmt.Errorf("%s: kind cyclic takes one column, got %d", where, len(f.Columns))
			}
			switch f.Cycle {
			case CycleDayOfYear, CycleHour:
			case "":
				if !(f.Period > 0) {
					return fmt.Errorf("%s: numeric cyclic field needs period > 0", where)
				}
			default:
				return fmt.Errorf("%s: unknown cycle %q (want %s or %s)", where, f.Cycle, CycleDayOfYear, CycleHour)
			}
		case Geo:
			if len(f.Columns) != 2 {
				return fmt.Errorf("%s: kind geo needs columns [lat, lon], got %d", where, len(f.Columns))
			}
		default:
			return fmt.Errorf("%s: unknown kind %q (want categorical, numeric, cyclic or geo)", where, f.Kind)
		}
		if f.Kind == Numeric && s.Fitted && !(f.Std > 0) {
			return fmt.Errorf("%s: fitted std must be > 0", where)
		}
	}
	return nil
}

// Marshal returns the schema as indented JSON.
func (s *Schema) Marshal() ([]byte, error) { return json.MarshalIndent(s, "", "  ") }

// Unmarshal parses and validates a schema from JSON.
func Unmarshal(data []byte) (*Schema, error) {
	var s Schema
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("metadata schema: %w", err)
	}
	if s.Version != SchemaVersion {
		return nil, fmt.Errorf("metadata schema: version %d not supported (want %d)", s.Version, SchemaVersion)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Save writes the schema as JSON to path.
func (s *Schema) Save(path string) error {
	b, err := s.Marshal()
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Load reads a schema written by Save.
func Load(path string) (*Schema, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
