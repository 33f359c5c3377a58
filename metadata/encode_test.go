package metadata

import (
	"math"
	"testing"
)

func fitted(t *testing.T) *Schema {
	t.Helper()
	s := DefaultBIOSCAN()
	ft, err := NewFitter(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Row{
		{"country": "Canada", "province_state": "Ontario", "coord-lat": "45", "coord-lon": "-75", "image_measurement_value": "1000", "area_fraction": "0.2", "scale_factor": "1"},
		{"country": "Canada", "province_state": "Quebec", "coord-lat": "46", "coord-lon": "-72", "image_measurement_value": "3000", "area_fraction": "0.4", "scale_factor": "2"},
		{"country": "Costa Rica", "coord-lat": "10", "coord-lon": "-84", "image_measurement_value": "500", "area_fraction": "0.1", "scale_factor": "1.5"},
	} {
		ft.Add(r)
	}
	return ft.Finish()
}

func TestEncodeTable(t *testing.T) {
	s := fitted(t)
	if got, want := s.Fields[0].Vocab, []string{"Canada", "Costa Rica"}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("country vocab = %v, want %v", got, want)
	}
	dim := s.Dim()
	// country 2+2, province 2+2, geo 4, three numerics 2 each, cyclic 3.
	if dim != 4+4+4+6+3 {
		t.Fatalf("Dim = %d", dim)
	}
	cases := []struct {
		name    string
		row     Row
		nErr    int
		checkAt int // index that must be 1
	}{
		{"known country", Row{"country": "Canada"}, 0, 0},
		{"unknown country", Row{"country": "Peru"}, 0, 2},
		{"missing country", Row{}, 0, 3},
		{"NA is missing", Row{"country": "NA"}, 0, 3},
		{"bad coords", Row{"coord-lat": "north", "coord-lon": "1"}, 1, 8 + 3},
		{"coords out of range", Row{"coord-lat": "95", "coord-lon": "1"}, 1, 8 + 3},
		{"bad numeric", Row{"area_fraction": "x"}, 1, 12 + 2 + 1},
		{"negative log numeric", Row{"image_measurement_value": "-3"}, 1, 12 + 1},
		{"bad date", Row{"date": "yesterday"}, 1, 18 + 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, errs := s.Encode(nil, c.row)
			if len(v) != dim {
				t.Fatalf("len = %d, want %d", len(v), dim)
			}
			if len(errs) != c.nErr {
				t.Fatalf("errors = %v, want %d", errs, c.nErr)
			}
			if v[c.checkAt] != 1 {
				t.Fatalf("v[%d] = %v, want 1 (vector %v)", c.checkAt, v[c.checkAt], v)
			}
		})
	}
}

func TestGeoAndCyclicValues(t *testing.T) {
	s := fitted(t)
	v, errs := s.Encode(nil, Row{"coord-lat": "90", "coord-lon": "0", "date": "2024-01-01"})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if math.Abs(float64(v[10])-1) > 1e-6 { // z of the north pole
		t.Fatalf("north pole z = %v", v[10])
	}
	if math.Abs(float64(v[18])) > 1e-6 || math.Abs(float64(v[19])-1) > 1e-6 { // Jan 1: sin 0, cos 1
		t.Fatalf("Jan 1 phase = %v %v", v[18], v[19])
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	s := fitted(t)
	p := t.TempDir() + "/schema.json"
	if err := s.Save(p); err != nil {
		t.Fatal(err)
	}
	s2, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	r := Row{"country": "Costa Rica", "coord-lat": "10", "coord-lon": "-84", "area_fraction": "0.3"}
	a, _ := s.Encode(nil, r)
	b, _ := s2.Encode(nil, r)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("encodings differ at %d: %v vs %v", i, a[i], b[i])
		}
	}
}

func TestUnmarshalErrors(t *testing.T) {
	for _, c := range []struct{ name, json string }{
		{"not json", "{"},
		{"bad version", `{"version": 7, "fields": []}`},
		{"unknown kind", `{"version": 1, "fields": [{"name": "a", "kind": "colour"}]}`},
		{"geo one column", `{"version": 1, "fields": [{"name": "a", "kind": "geo"}]}`},
		{"duplicate", `{"version": 1, "fields": [{"name": "a", "kind": "numeric"}, {"name": "a", "kind": "numeric"}]}`},
		{"bad cycle", `{"version": 1, "fields": [{"name": "a", "kind": "cyclic", "cycle": "week"}]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Unmarshal([]byte(c.json)); err == nil {
				t.Fatal("want error")
			}
		})
	}
}

func FuzzEncode(f *testing.F) {
	for _, seed := range [][4]string{
		{"Canada", "45", "-75", "2024-06-30"},
		{"", "abc", "1e400", "13/13/2024"},
		{"NaN", "NaN", "-Inf", "366"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	s := DefaultBIOSCAN()
	ft, _ := NewFitter(s)
	ft.Add(Row{"country": "Canada", "image_measurement_value": "10"})
	s = ft.Finish()
	f.Fuzz(func(t *testing.T, country, lat, lon, date string) {
		r := Row{"country": country, "coord-lat": lat, "coord-lon": lon, "date": date, "image_measurement_value": lat, "area_fraction": lon}
		v, _ := s.Encode(nil, r)
		if len(v) != s.Dim() {
			t.Fatalf("len %d != Dim %d", len(v), s.Dim())
		}
		for i, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("non-finite output at %d: %v", i, v)
			}
		}
	})
}

func TestUnseenFields(t *testing.T) {
	s := fitted(t) // three rows, none with a date
	if got := s.Unseen(); len(got) != 1 || got[0] != "date" {
		t.Fatalf("Unseen = %v, want [date]", got)
	}
	if s.Fields[1].Seen != 2 || s.Fields[2].Seen != 3 {
		t.Fatalf("seen counts: province %d, coord %d", s.Fields[1].Seen, s.Fields[2].Seen)
	}
	old := *s
	old.Counted = false // a schema fitted before counts existed
	if got := old.Unseen(); got != nil {
		t.Fatalf("uncounted schema: Unseen = %v, want nil", got)
	}
}
