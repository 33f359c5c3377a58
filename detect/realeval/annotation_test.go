package realeval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindFrames(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, data string) {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	good := `{"image": "x", "width": 100, "height": 50, "objects": [{"box": [1, 2, 30, 40], "kind": "insect"}, {"box": [50, 0, 100, 50], "kind": "not_insect", "note": "bar"}]}`
	write("vermont/a.jpg", "")
	write("vermont/a.boxes.json", good)
	write("sticky/b.JPG", "")
	write("sticky/b.boxes.json", good)
	write("Sticky_Cards/set2/c.jpeg", "") // held-back cards in their own folder
	write("Sticky_Cards/set2/c.boxes.json", good)
	write("panama/noimage.boxes.json", good)
	for name, body := range map[string]string{
		"kind":    `{"width": 100, "height": 50, "objects": [{"box": [1, 2, 30, 40], "kind": "moth"}]}`,
		"outside": `{"width": 100, "height": 50, "objects": [{"box": [1, 2, 130, 40], "kind": "insect"}]}`,
		"empty":   `{"width": 100, "height": 50, "objects": [{"box": [30, 2, 30, 40], "kind": "insect"}]}`,
		"unknown": `{"width": 100, "height": 50, "objects": [], "colour": "red"}`,
		"size":    `{"objects": []}`,
		"json":    `{"width": 100,`,
	} {
		write("bad/"+name+".png", "")
		write("bad/"+name+".boxes.json", body)
	}
	frames, problems, err := FindFrames(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 3 || frames[0].Trap != "set2" || !frames[0].Sticky || frames[1].Trap != "sticky" || !frames[1].Sticky || frames[2].Trap != "vermont" || frames[2].Sticky {
		t.Fatalf("frames %+v", frames)
	}
	if filepath.Base(frames[1].Path) != "b.JPG" || len(frames[2].Ann.Insects()) != 1 || len(frames[2].Ann.NotInsects()) != 1 {
		t.Fatalf("frames %+v", frames)
	}
	if frames[0].Scale() != PixelsPerMM[StickyFolder] || frames[2].Scale() != PixelsPerMM["vermont"] {
		t.Errorf("scales %v %v: a sticky folder's frames take sticky cards' scale", frames[0].Scale(), frames[2].Scale())
	}
	want := []string{"empty.boxes.json: object 0", "json.boxes.json", "kind.boxes.json: object 0: kind \"moth\"",
		"outside.boxes.json: object 0", "size.boxes.json: size 0x0", "unknown.boxes.json", "noimage.boxes.json: no image"}
	if len(problems) != len(want) {
		t.Fatalf("problems %v", problems)
	}
	for i, w := range want {
		if !strings.Contains(problems[i].Error(), w) {
			t.Errorf("problem %d: %v, want it to name %q", i, problems[i], w)
		}
	}
	if _, _, err := FindFrames(filepath.Join(dir, "none")); err == nil {
		t.Error("no error for a missing folder")
	}
}
