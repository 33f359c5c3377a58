package agent

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/trapnet/trapnet/camera"
)

// TestFrameTimeSource checks that the frame message says where its capture
// time came from, and that a frame without a time gets the agent's clock
// and no source.
func TestFrameTimeSource(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
		noTime          bool
	}{
		{"exif", camera.TimeSourceExif, "exif", false},
		{"mtime", camera.TimeSourceMtime, "mtime", false},
		{"filename", camera.TimeSourceName, "filename", false},
		{"no time", camera.TimeSourceExif, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, box, _ := newPipeline(t, fakeFinder{}, &fakeClassifier{})
			f := frame("f-" + tc.name + ".jpg")
			f.TimeSource = tc.src
			if tc.noTime {
				f.Time = time.Time{}
			}
			sum, err := p.Process(f)
			if err != nil {
				t.Fatal(err)
			}
			es, _ := box.Peek(10)
			var got FrameSummary
			if err := json.Unmarshal(es[len(es)-1].Payload, &got); err != nil {
				t.Fatal(err)
			}
			if got.TimeSource != tc.want || sum.TimeSource != tc.want {
				t.Fatalf("time_source %q (summary %q), want %q", got.TimeSource, sum.TimeSource, tc.want)
			}
		})
	}
}
