package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeUncertain writes an agent-style uncertain folder with the given CSV
// rows (after the header) and crops named by the rows' image column.
func writeUncertain(t *testing.T, rows []string, crops map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range crops {
		writeFile(t, filepath.Join(dir, "images", name), data)
	}
	head := "image,label,id,pred_label,pred_score,model_version,country,datetime,trap_id"
	writeFile(t, filepath.Join(dir, "labels.csv"), []byte(head+"\n"+strings.Join(rows, "\n")+"\n"))
	return dir
}

func TestImportCrops(t *testing.T) {
	a, b := pngBytes(t, 6, 6), jpegBytes(t, 10, 8, 7)
	agent1 := writeUncertain(t, []string{
		"images/1.png,Drosophila suzukii,1,x,0.30,v1,Canada,2026-06-10T23:00:00+02:00,t1",
		"images/2.jpg,,2,x,0.20,v1,Canada,2026-06-10T23:10:00+02:00,t1",
		"images/3.jpg,Apis mellifera,3,x,0.40,v1,Canada,2026-06-10T23:20:00+02:00,t1",
		"../outside.png,Apis mellifera,4,x,0.40,v1,Canada,2026-06-10T23:20:00+02:00,t1",
		"images/missing.png,Apis mellifera,5,x,0.40,v1,Canada,2026-06-10T23:20:00+02:00,t1",
	}, map[string][]byte{"1.png": a, "2.jpg": b, "3.jpg": b})
	// A second agent saw the same crop (same bytes): once, and with a
	// conflicting label the first one is kept.
	agent2 := writeUncertain(t, []string{
		"images/9.png,Drosophila melanogaster,9,x,0.30,v1,France,2026-06-11T01:00:00+02:00,t2",
	}, map[string][]byte{"9.png": a})
	out := filepath.Join(t.TempDir(), "field")
	res, err := ImportCrops(out, []string{agent1, agent2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || res.Duplicates != 1 || res.Conflicts != 1 || res.Unlabelled != 1 || res.Total != 2 {
		t.Errorf("result %+v", res)
	}
	if n := res.Report.Count(UnreadableImage); n != 2 {
		t.Errorf("unreadable/outside crops reported %d, want 2: %v", n, res.Report.Issues(UnreadableImage))
	}
	// Importing again adds nothing.
	res2, err := ImportCrops(out, []string{agent1})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Added != 0 || res2.Total != 2 {
		t.Errorf("re-import %+v", res2)
	}
	d, err := OpenPaths([]string{out}, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Classes, "|"); got != "Apis mellifera|Drosophila suzukii" {
		t.Errorf("classes %q", got)
	}
	for _, s := range d.Samples {
		r := s.Meta.Row()
		if r["trap_id"] != "t1" || r["country"] != "Canada" || r["datetime"] == "" || len(r) != 3 {
			t.Errorf("%s: metadata %v, want the agent's columns only", s.ProcessID, r)
		}
		if len(s.ProcessID) != 64 {
			t.Errorf("id %q, want the crop hash", s.ProcessID)
		}
	}
	if _, err := ImportCrops(out, []string{t.TempDir()}); err == nil || !strings.Contains(err.Error(), "no labels.csv") {
		t.Errorf("folder without labels.csv: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, SpecFile)); err != nil {
		t.Error(err)
	}
}
