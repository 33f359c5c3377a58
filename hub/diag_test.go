package hub

import (
	"fmt"
	"testing"
)

// missingRanges logs which of the detections 0..n-1 (by their frame id) the
// store lacks, to show where a delivery test lost messages.
func missingRanges(t *testing.T, s *Store, n int) {
	have := map[int]bool{}
	rows, err := s.DB().Query(`SELECT frame_id FROM detections`)
	if err != nil {
		t.Log(err)
		return
	}
	for rows.Next() {
		var f string
		var i int
		if rows.Scan(&f) == nil {
			if _, err := fmt.Sscanf(f, "frame_%04d.jpg", &i); err == nil {
				have[i] = true
			}
		}
	}
	rows.Close()
	start := -1
	for i := 0; i <= n; i++ {
		switch {
		case i < n && !have[i] && start < 0:
			start = i
		case (i == n || have[i]) && start >= 0:
			t.Logf("missing %d..%d", start, i-1)
			start = -1
		}
	}
}
