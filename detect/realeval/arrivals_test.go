package realeval

import (
	"image"
	"testing"

	"github.com/trapnet/trapnet/detect"
)

// Count scores a tracker on a series: an arrival detected late is counted
// on that take, one never detected is not, a speck first seen later is
// another new count, and a speck seen again after a gap is none.
func TestArrivalSeriesCount(t *testing.T) {
	speck := image.Rect(100, 100, 108, 108)
	late := image.Rect(300, 100, 308, 108)
	a1, a2, a3 := image.Rect(500, 500, 510, 510), image.Rect(700, 500, 710, 510), image.Rect(900, 500, 910, 510)
	s := ArrivalSeries{
		Takes: [][]image.Rectangle{
			{speck},
			{a1},              // the speck unseen, a1 arrives
			{speck, a1, late}, // a2 arrives undetected; a speck first seen
			{speck, a1, late, a2},
		},
		Arrivals: [][]image.Rectangle{nil, {a1}, {a2, a3}, nil},
	}
	got := s.Count(detect.NewTracker(0.3, 10))
	want := ArrivalCount{Arrivals: 3, Detected: 1, Counted: 2, OtherNew: 1}
	if got != want {
		t.Errorf("Count = %+v, want %+v", got, want)
	}
}
