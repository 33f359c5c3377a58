package hub

import (
	"encoding/json"
	"testing"
)

// mustJSON marshals v.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// detRecord is testDetection as a parsed record.
func detRecord(t testing.TB, trap string, i int) Record {
	t.Helper()
	d := testDetection(trap, i)
	r, err := Parse("trapnet/"+trap+"/detections", mustJSON(t, d))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
