package detect

import (
	"image"
	"reflect"
	"testing"
)

func TestDropNested(t *testing.T) {
	big := image.Rect(0, 0, 200, 200)
	for _, tc := range []struct {
		name string
		in   []image.Rectangle
		want []image.Rectangle
	}{
		{"inside a much larger box: dropped", []image.Rectangle{big, image.Rect(50, 50, 80, 90)}, []image.Rectangle{big}},
		{"more than half inside: dropped", []image.Rectangle{big, image.Rect(180, 50, 220, 90)}, []image.Rectangle{big}},
		{"less than half inside: kept", []image.Rectangle{big, image.Rect(190, 50, 230, 90)}, []image.Rectangle{big, image.Rect(190, 50, 230, 90)}},
		{"inside a box under 4 times larger: kept (touching moths)", []image.Rectangle{image.Rect(0, 0, 60, 60), image.Rect(10, 10, 50, 50)}, []image.Rectangle{image.Rect(0, 0, 60, 60), image.Rect(10, 10, 50, 50)}},
		{"apart: kept", []image.Rectangle{big, image.Rect(300, 300, 320, 320)}, []image.Rectangle{big, image.Rect(300, 300, 320, 320)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ss []Specimen
			for _, r := range tc.in {
				ss = append(ss, Specimen{Box: r})
			}
			var got []image.Rectangle
			for _, s := range dropNested(ss) {
				got = append(got, s.Box)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
