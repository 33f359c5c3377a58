package dataset

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/preprocess"
)

// writeFieldCrops writes a generic CSV folder laid out as the agent's
// uncertain store (labels.csv + dataset.yaml, no split column) with one row
// per (trap, night, label) given, two crops each; label "" is unlabelled.
func writeFieldCrops(t *testing.T, groups [][3]string) string {
	t.Helper()
	dir := t.TempDir()
	lines := []string{"image,label,id,pred_label,pred_score,model_version,country,datetime,trap_id"}
	for i, g := range groups {
		for j := range 2 {
			id := fmt.Sprintf("c%02d%d", i, j)
			writeFile(t, filepath.Join(dir, "images", id+".png"), pngBytes(t, 8, 8))
			// 23:00 and 02:00 local: the same night.
			hour := []string{"23:00:00", "02:00:00"}[j]
			day := g[1]
			if j == 1 {
				day = day[:8] + fmt.Sprintf("%02d", atoi(day[8:])+1)
			}
			lines = append(lines, fmt.Sprintf("images/%s.png,%s,%s,x,0.3,v1,Canada,%sT%s+02:00,%s", id, g[2], id, day, hour, g[0]))
		}
	}
	writeFile(t, filepath.Join(dir, "labels.csv"), []byte(strings.Join(lines, "\n")+"\n"))
	writeFile(t, filepath.Join(dir, SpecFile), []byte("csv: labels.csv\nimage_column: image\nlabel_column: label\nid_column: id\nmetadata_columns: [country, datetime, trap_id]\n"))
	return dir
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

func TestOpenSeveralSources(t *testing.T) {
	bio := writeBIOSCAN(t, goodRows(t, 6))
	var groups [][3]string
	for i := range 8 {
		groups = append(groups, [3]string{fmt.Sprintf("trap%d", i%2), fmt.Sprintf("2026-06-%02d", 10+i), "Drosophila suzukii"})
	}
	groups = append(groups, [3]string{"trap0", "2026-06-20", ""})
	field := writeFieldCrops(t, groups)
	srcs, err := ParseSources([]string{bio, field})
	if err != nil {
		t.Fatal(err)
	}
	if srcs[0].Format != FormatBIOSCAN || srcs[1].Format != FormatCSV {
		t.Fatalf("formats %s, %s", srcs[0].Format, srcs[1].Format)
	}
	d, err := Open(srcs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Aedes aegypti|Bombus terrestris|Culex pipiens|Drosophila suzukii"
	if got := strings.Join(d.Classes, "|"); got != want {
		t.Fatalf("classes %q, want the union %q", got, want)
	}
	if d.Rank != RankSpecies {
		t.Errorf("rank %q", d.Rank)
	}
	if len(d.Sources) != 2 {
		t.Fatalf("sources %+v", d.Sources)
	}
	fs := d.Sources[1]
	if fs.Unlabelled[SplitTrain] != 2 {
		t.Errorf("unlabelled field rows %v, want 2 counted", fs.Unlabelled)
	}
	if strings.Join(fs.NewClasses, "|") != "Drosophila suzukii" {
		t.Errorf("new classes %v", fs.NewClasses)
	}
	// Every crop of one trap-night lands in one split; val and test exist.
	splitOf := map[string]string{}
	n := 0
	for _, s := range d.Samples {
		if s.Label != "Drosophila suzukii" {
			if s.Class < 0 || d.Classes[s.Class] != s.Label {
				t.Errorf("%s: class %d for %q", s.ProcessID, s.Class, s.Label)
			}
			continue
		}
		n++
		k := groupKey(&s)
		if k == "" {
			t.Fatalf("%s: no group", s.ProcessID)
		}
		if sp, ok := splitOf[k]; ok && sp != s.Split {
			t.Errorf("group %q in %s and %s", k, sp, s.Split)
		}
		splitOf[k] = s.Split
	}
	if n != 16 || len(splitOf) != 8 {
		t.Fatalf("%d labelled field crops in %d groups, want 16 in 8", n, len(splitOf))
	}
	if fs.Groups[SplitTest] == 0 || fs.Groups[SplitVal] == 0 || fs.Groups[SplitTrain] == 0 {
		t.Errorf("groups per split %v", fs.Groups)
	}
	if !strings.Contains(fs.Describe(), "trap-night groups") {
		t.Errorf("describe: %s", fs.Describe())
	}
}

func TestNightOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2026-06-10T23:30:00+02:00", "2026-06-10"},
		{"2026-06-11T04:00:00+02:00", "2026-06-10"},
		{"2026-06-11T12:00:00+02:00", "2026-06-11"},
		{"2026-06-11", ""},
		{"", ""},
	} {
		if got := nightOf(tc.in); got != tc.want {
			t.Errorf("nightOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseSourceErrors(t *testing.T) {
	empty := t.TempDir()
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(empty, "nope"), "does not exist"},
		{empty, "neither"},
	} {
		if _, err := ParseSource(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", tc.path, err, tc.want)
		}
	}
	if _, err := ParseSources(nil); err == nil {
		t.Error("no paths accepted")
	}
}

func TestTrainPrep(t *testing.T) {
	bio := writeBIOSCAN(t, goodRows(t, 3))
	field := writeFieldCrops(t, [][3]string{{"t", "2026-06-10", "A"}})
	srcs, err := ParseSources([]string{bio})
	if err != nil {
		t.Fatal(err)
	}
	p, n, err := TrainPrep(srcs, nil, 8, 0, 1, nil)
	if err != nil || n != 0 || p.Mean != preprocess.BIOSCANMean {
		t.Fatalf("BIOSCAN only: %+v %d %v", p, n, err)
	}
	srcs, _ = ParseSources([]string{bio, field})
	d, err := Open(srcs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, n, err = TrainPrep(srcs, d.Split(SplitTrain), 8, 0, 1, NewReport(5))
	if err != nil || n != len(d.Split(SplitTrain)) {
		t.Fatalf("fitted on %d: %v", n, err)
	}
	if p.Mean == preprocess.BIOSCANMean || math.IsNaN(float64(p.Mean[0])) || !(p.Std[0] > 0) {
		t.Errorf("fitted %+v", p)
	}
	if _, _, err := FitNormalisation([]Sample{{ImagePath: filepath.Join(field, "missing.png")}}, preprocess.Default(8), 0, 1, NewReport(5)); err == nil {
		t.Error("no readable image: want an error")
	}
}

// TestOpenUnionLabels: a val label that only another source has in train
// is a known class, not an unknown label; one no source trains on is.
func TestOpenUnionLabels(t *testing.T) {
	bio := writeBIOSCAN(t, goodRows(t, 6))
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.png"), pngBytes(t, 4, 4))
	writeFile(t, filepath.Join(dir, "x.csv"), []byte("image,label,split\na.png,Zz new,train\na.png,Aedes aegypti,val\na.png,Nowhere,test\na.png,,test\n"))
	d, err := Open([]Source{{Path: bio, Format: FormatBIOSCAN}, {Path: dir, Format: FormatCSV, Spec: Spec{CSV: filepath.Join(dir, "x.csv"), SplitColumn: "split"}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := d.Report.Count(UnknownLabel); n != 1 || !strings.Contains(d.Report.Issues(UnknownLabel)[0].Reason, "Nowhere") {
		t.Errorf("unknown labels %d: %v", n, d.Report.Issues(UnknownLabel))
	}
	got := map[string]int{}
	for _, s := range d.Samples {
		got[s.Label] = s.Class
	}
	if got["Aedes aegypti"] != 0 || got["Zz new"] != 3 || got["Nowhere"] != -1 {
		t.Errorf("classes %v (classes %v)", got, d.Classes)
	}
	if d.Sources[1].Unlabelled[SplitTest] != 1 {
		t.Errorf("unlabelled %v", d.Sources[1].Unlabelled)
	}
}

// TestOpenSplitsOption: classes come from train even when only other
// splits are asked for.
func TestOpenSplitsOption(t *testing.T) {
	bio := writeBIOSCAN(t, goodRows(t, 6))
	d, err := Open([]Source{{Path: bio, Format: FormatBIOSCAN}}, Options{Splits: []string{SplitTest}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Classes) != 3 || len(d.Samples) != 1 || d.Samples[0].Split != SplitTest || d.Samples[0].Class != 2 {
		t.Errorf("classes %v, samples %+v", d.Classes, d.Samples)
	}
	if d.Sources[0].Samples[SplitTrain] != 0 {
		t.Errorf("summary counts train: %v", d.Sources[0].Samples)
	}
}
