package dataset

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/preprocess"
)

// issueAt reports whether rep lists an issue of kind k whose text contains
// every one of subs.
func issueAt(rep *Report, k Kind, subs ...string) bool {
	for _, is := range rep.Issues(k) {
		ok := true
		for _, s := range subs {
			ok = ok && strings.Contains(is.String(), s)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestOpenBIOSCANBadRows(t *testing.T) {
	rows := goodRows(t, 6) // lines 2..10
	rows[1].lat, rows[1].lon = "north", "-75"
	rows[2].lat, rows[2].lon = "95", "10"
	rows[3].species = "not_classified"
	root := writeBIOSCAN(t, rows,
		"SHORT1,x,y", // line 11: wrong column count
		bioscanRow(map[string]string{"processid": "SPL", "split": "holdout", "species": "Aedes aegypti"}),                                        // line 12
		bioscanRow(map[string]string{"processid": "", "split": "train", "species": "Aedes aegypti"}),                                             // line 13
		bioscanRow(map[string]string{"processid": "VX", "split": "val", "species": "Unknownia sp"}),                                              // line 14
		bioscanRow(map[string]string{"processid": "AF", "split": "train", "species": "Aedes aegypti", "area_fraction": "lots"}),                  // line 15
		`"QUOTE"x,`+strings.Repeat(",", len(BIOSCANColumns)-2),                                                                                   // line 16: CSV syntax error
		bioscanRow(map[string]string{"processid": "LAST", "split": "train", "species": "Bombus terrestris", "coord-lat": "1", "coord-lon": "2"}), // line 17
		bioscanRow(map[string]string{"processid": "KU", "split": "key_unseen", "species": "Novia unseenensis"}),                                  // line 18: unseen by design
	)
	file := filepath.Join(root, BIOSCANMetadataFile)
	d, err := OpenBIOSCAN(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep := d.Report
	cases := []struct {
		kind  Kind
		count int
		subs  []string
	}{
		{BadRow, 3, []string{file + ":11:", "has 3 fields, header has 23"}},
		{BadRow, 3, []string{file + ":13:", "bad processid"}},
		{BadRow, 3, []string{file + ":16:", "CSV syntax"}},
		{BadValue, 3, []string{file + ":3:", "not numeric", `"north"`}},
		{BadValue, 3, []string{file + ":4:", "out of range"}},
		{BadValue, 3, []string{file + ":15:", "area_fraction", `"lots"`}},
		{UnknownSplit, 1, []string{file + ":12:", `"holdout"`}},
		{UnknownLabel, 1, []string{file + ":14:", `"Unknownia sp"`}},
	}
	for _, tc := range cases {
		if got := rep.Count(tc.kind); got != tc.count {
			t.Errorf("%s count = %d, want %d (%v)", tc.kind, got, tc.count, rep.Issues(tc.kind))
		}
		if !issueAt(rep, tc.kind, tc.subs...) {
			t.Errorf("no %s issue containing %q in %v", tc.kind, tc.subs, rep.Issues(tc.kind))
		}
	}
	if rep.UnknownLabels["key_unseen"] != 1 || issueAt(rep, UnknownLabel, "Novia unseenensis") {
		t.Errorf("a key_unseen species must be counted (got %d) but not reported as a problem", rep.UnknownLabels["key_unseen"])
	}
	if rep.Unlabelled["train"] != 1 {
		t.Errorf("unlabelled train = %d, want 1", rep.Unlabelled["train"])
	}
	// Kept: 6 train - 1 unlabelled + AF + LAST = 7; 2 val + VX; 1 test.
	if sz := d.SplitSizes(); sz["train"] != 7 || sz["val"] != 3 || sz["test"] != 1 {
		t.Errorf("split sizes = %v", sz)
	}
	byID := map[string]Sample{}
	for _, s := range d.Samples {
		byID[s.ProcessID] = s
	}
	bad := byID[rows[1].pid]
	if _, ok := bad.Meta.Get("coord-lat"); ok || bad.Class < 0 {
		t.Errorf("row with bad coords: kept=%v meta=%v class=%d; want kept, coords blank", bad.ProcessID != "", bad.Meta.Row(), bad.Class)
	}
	if v, _ := bad.Meta.Get("country"); v != "Canada" {
		t.Errorf("row with bad coords lost its other metadata: %v", bad.Meta.Row())
	}
	if vx := byID["VX"]; vx.Class != -1 || vx.Label != "Unknownia sp" {
		t.Errorf("unknown val label: %+v", vx)
	}
	if _, ok := byID["LAST"]; !ok {
		t.Error("row after the CSV syntax error was lost")
	}
}

func TestOpenBIOSCANHeaderErrors(t *testing.T) {
	cases := []struct {
		name, content, want string
	}{
		{"empty", "", "empty file"},
		{"no species column", "processid,split,genus\nA,train,Aedes\n", "species"},
		{"duplicate column", "processid,split,species,split\n", "duplicate column"},
	}
	for _, tc := range cases {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, BIOSCANMetadataFile), []byte(tc.content))
		_, err := OpenBIOSCAN(root, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), BIOSCANMetadataFile) {
			t.Errorf("%s: err = %v, want it to name the file and %q", tc.name, err, tc.want)
		}
	}
	if _, err := OpenBIOSCAN(t.TempDir(), Options{Rank: "kingdom"}); err == nil || !strings.Contains(err.Error(), "kingdom") {
		t.Errorf("bad rank: err = %v", err)
	}
}

func TestRanksRareAndSplits(t *testing.T) {
	var rows []fixtureRow
	add := func(n int, split, order, species string) {
		for i := 0; i < n; i++ {
			rows = append(rows, fixtureRow{pid: split + order[:2] + species + string(rune('a'+i)), split: split, order: order, species: species})
		}
	}
	add(5, "train", "Diptera", "Aa")
	add(3, "train", "Diptera", "Bb")
	add(1, "train", "Hymenoptera", "Cc")
	add(2, "val", "Hymenoptera", "Cc")
	add(4, "pretrain", "Diptera", "")
	root := writeBIOSCAN(t, rows)
	cases := []struct {
		name        string
		opts        Options
		wantClasses string
		wantTrain   []int
		wantVal     []int
		wantRare    int
		wantSamples int
	}{
		{"species", Options{}, "Aa|Bb|Cc", []int{5, 3, 1}, []int{0, 0, 2}, 0, 11},
		{"order", Options{Rank: RankOrder}, "Diptera|Hymenoptera", []int{8, 1}, []int{0, 2}, 0, 15},
		{"fold rare", Options{MinPerClass: 2}, "Aa|Bb|other", []int{5, 3, 1}, []int{0, 0, 2}, 0, 11},
		{"drop rare", Options{MinPerClass: 2, RareMode: RareDrop}, "Aa|Bb", []int{5, 3}, []int{0, 0}, 3, 8},
		{"only val", Options{Splits: []string{"val"}}, "Aa|Bb|Cc", []int{0, 0, 0}, []int{0, 0, 2}, 0, 2},
		{"keep unlabelled", Options{KeepUnlabelled: true}, "Aa|Bb|Cc", []int{5, 3, 1}, []int{0, 0, 2}, 0, 15},
	}
	for _, tc := range cases {
		d, err := OpenBIOSCAN(root, tc.opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := strings.Join(d.Classes, "|"); got != tc.wantClasses {
			t.Errorf("%s: classes %q, want %q", tc.name, got, tc.wantClasses)
		}
		if got := d.ClassCounts("train"); !equalInts(got, tc.wantTrain) {
			t.Errorf("%s: train counts %v, want %v", tc.name, got, tc.wantTrain)
		}
		if got := d.ClassCounts("val"); !equalInts(got, tc.wantVal) {
			t.Errorf("%s: val counts %v, want %v", tc.name, got, tc.wantVal)
		}
		if got := d.Report.Count(RareClass); got != tc.wantRare {
			t.Errorf("%s: rare dropped %d, want %d", tc.name, got, tc.wantRare)
		}
		if len(d.Samples) != tc.wantSamples {
			t.Errorf("%s: %d samples, want %d", tc.name, len(d.Samples), tc.wantSamples)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The loader skips missing, empty, truncated and corrupt images, reports
// each with its path, and fills batches from the next samples.
func TestLoaderSkipsBadImages(t *testing.T) {
	rows := goodRows(t, 9)
	good := rows[0].image
	rows[1].image = nil                    // missing
	rows[2].image = []byte{}               // empty
	rows[3].image = good[:len(good)/2]     // truncated
	rows[4].image = []byte("not a jpeg!!") // corrupt
	rows[5].noChunkDir = true              // chunk folder missing, file under split: fine
	rows[8].image = good[:len(good)-20]    // truncated in the scan data
	root := writeBIOSCAN(t, rows)
	d, err := OpenBIOSCAN(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	train := d.Split("train")
	for _, workers := range []int{1, 2} {
		l, err := NewLoader(train, nil, preprocess.Default(8), LoaderOptions{BatchSize: 3, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		bs := drain(t, l)
		if len(bs) != 2 || bs[0].N != 3 || bs[1].N != 1 {
			t.Fatalf("workers=%d: got %d batches, want sizes 3,1", workers, len(bs))
		}
		want := []string{rows[0].pid, rows[5].pid, rows[6].pid, rows[7].pid}
		got := append(append([]string{}, bs[0].ProcessIDs...), bs[1].ProcessIDs...)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("workers=%d: loaded %v, want %v", workers, got, want)
		}
		rep := l.Report()
		if rep.Count(MissingImage) != 1 || rep.Count(UnreadableImage) != 4 || l.Skipped() != 5 {
			t.Fatalf("workers=%d: missing %d unreadable %d skipped %d", workers, rep.Count(MissingImage), rep.Count(UnreadableImage), l.Skipped())
		}
		for _, c := range []struct {
			k    Kind
			subs []string
		}{
			{MissingImage, []string{rows[1].pid + ".jpg", "not found"}},
			{UnreadableImage, []string{rows[2].pid + ".jpg", "empty file"}},
			{UnreadableImage, []string{rows[3].pid + ".jpg", "truncated file"}},
			{UnreadableImage, []string{rows[4].pid + ".jpg", "not a readable"}},
			{UnreadableImage, []string{rows[8].pid + ".jpg", "corrupt or truncated jpeg"}},
		} {
			if !issueAt(rep, c.k, c.subs...) {
				t.Errorf("no %s issue with %q: %v", c.k, c.subs, rep.Issues(c.k))
			}
		}
		l.Close()
	}
	// CheckImages leaves out the missing one at open time.
	d2, err := OpenBIOSCAN(root, Options{CheckImages: true})
	if err != nil {
		t.Fatal(err)
	}
	if d2.Report.Count(MissingImage) != 1 || len(d2.Split("train")) != 8 {
		t.Fatalf("CheckImages: missing %d, train %d", d2.Report.Count(MissingImage), len(d2.Split("train")))
	}
}

func TestLoaderContextAndReset(t *testing.T) {
	root := writeBIOSCAN(t, goodRows(t, 6))
	d, err := OpenBIOSCAN(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLoader(d.Split("train"), nil, preprocess.Default(8), LoaderOptions{BatchSize: 2, Shuffle: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Next(ctx); err == nil {
		// A batch may already be ready; a cancelled context must not hang.
		t.Log("batch was ready before the cancelled context was seen")
	}
	l.Reset(0)
	e0 := drain(t, l)
	l.Reset(1)
	e1 := drain(t, l)
	l.Reset(0)
	e0again := drain(t, l)
	ids := func(bs []*Batch) string {
		var s []string
		for _, b := range bs {
			s = append(s, b.ProcessIDs...)
		}
		return strings.Join(s, ",")
	}
	if ids(e0) != ids(e0again) {
		t.Fatalf("epoch 0 not reproducible: %s vs %s", ids(e0), ids(e0again))
	}
	if ids(e0) == ids(e1) {
		t.Logf("epochs 0 and 1 have the same order (possible but unlikely): %s", ids(e0))
	}
	if _, err := NewLoader(d.Split("train"), nil, preprocess.Params{}, LoaderOptions{}); err == nil {
		t.Fatal("invalid preprocess params accepted")
	}
	if _, err := NewLoader(d.Split("train"), nil, preprocess.Default(8), LoaderOptions{Weights: []float64{1}}); err == nil {
		t.Fatal("wrong number of weights accepted")
	}
}
