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
	rows[2].image = []byte("garbage bytes") // not an image
	good := jpegBytes(t, 128, 96, 9)        // big enough that its tables end before the cuts
	rows[3].image = good[:len(good)*3/4]    // truncated JPEG: header intact, no end marker
	p := pngBytes(t, 16, 12)
	rows[4].image = p[:len(p)-20] // truncated PNG
	// Scan data cut out but the end marker kept: found only by decoding.
	rows[5].image = append(append([]byte(nil), good[:len(good)*3/4]...), good[len(good)-2:]...)
	root := writeBIOSCAN(t, rows)
	cases := []struct {
		name                   string
		decode                 bool
		wantOK                 int
		wantMissing, wantUnrdb int
		wantListed             []string
	}{
		{"header and end marker", false, 4, 1, 4, []string{"empty file", "not a readable JPEG/PNG", "truncated jpeg", "truncated png"}},
		{"decode", true, 3, 1, 5, []string{"unreadable_image: 5\n", "... and 1 more"}}, // listing capped at 4
	}
	for _, tc := range cases {
		d, err := OpenBIOSCAN(root, Options{MaxListed: 4})
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
		for _, want := range tc.wantListed {
			if !strings.Contains(out, want) {
				t.Errorf("%s: listing lacks %q:\n%s", tc.name, want, out)
			}
		}
		if sum.LabelledTrain != tc.wantOK-3 {
			t.Errorf("%s: labelled train %d", tc.name, sum.LabelledTrain)
		}
	}
}
