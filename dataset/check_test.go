package dataset

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestVerifyImagesAndSummary(t *testing.T) {
	rows := goodRows(t, 6)
	rows[0].image = nil                     // missing
	rows[1].image = []byte{}                // empty
	rows[2].image = []byte("garbage bytes") // corrupt: found only when decoding
	root := writeBIOSCAN(t, rows)
	cases := []struct {
		name                   string
		decode                 bool
		wantOK                 int
		wantMissing, wantUnrdb int
	}{
		{"stat only", false, 7, 1, 1},
		{"decode", true, 6, 1, 2},
	}
	for _, tc := range cases {
		d, err := OpenBIOSCAN(root, Options{MaxListed: 1})
		if err != nil {
			t.Fatal(err)
		}
		d.Samples = VerifyImages(context.Background(), d.Samples, tc.decode, 2, d.Report, nil)
		if len(d.Samples) != tc.wantOK || d.Report.Count(MissingImage) != tc.wantMissing || d.Report.Count(UnreadableImage) != tc.wantUnrdb {
			t.Fatalf("%s: ok %d missing %d unreadable %d", tc.name, len(d.Samples), d.Report.Count(MissingImage), d.Report.Count(UnreadableImage))
		}
		sum := Summarize(d)
		var buf bytes.Buffer
		sum.Write(&buf, 2)
		d.Report.WriteTo(&buf)
		out := buf.String()
		for _, want := range []string{"rank: species, 3 classes", "train ", "val ", "missing_image: 1", rows[0].pid + ".jpg"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", tc.name, want, out)
			}
		}
		if tc.decode && !strings.Contains(out, "unreadable_image: 2\n") || tc.decode && !strings.Contains(out, "... and 1 more") {
			t.Errorf("%s: capped listing missing:\n%s", tc.name, out)
		}
		if sum.LabelledTrain != tc.wantOK-3 {
			t.Errorf("%s: labelled train %d", tc.name, sum.LabelledTrain)
		}
	}
}
