package realeval

import (
	"os"
	"path/filepath"
	"slices"
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
		// dropped: the file cannot be used
		"size":      `{"objects": []}`,
		"json":      `{"width": 100,`,
		"noobjects": `{"width": 100, "height": 50}`,
		// kept, with a bad object skipped
		"kind":  `{"width": 100, "height": 50, "objects": [{"box": [1, 2, 30, 40], "kind": "moth"}, {"box": [1, 2, 30, 40], "kind": "insect"}]}`,
		"empty": `{"width": 100, "height": 50, "objects": [{"box": [30, 2, 30, 40], "kind": "insect"}]}`,
		"away":  `{"width": 100, "height": 50, "objects": [{"box": [150, 0, 160, 10], "kind": "insect"}, {"box": [1, 2], "kind": "insect"}, 7]}`,
		// kept whole: fields it does not know, a box past the edge
		// (clipped), fractional coordinates (rounded)
		"unknown": `{"width": 100, "height": 50, "objects": [{"box": [1, 2, 30, 40], "kind": "insect", "id": 3}], "colour": "red"}`,
		"outside": `{"width": 100, "height": 50, "objects": [{"box": [-1, 2, 101, 40], "kind": "insect"}]}`,
		"float":   `{"width": 100, "height": 50, "objects": [{"box": [1.4, 2.6, 30.5, 40], "kind": "not_insect"}]}`,
		// a card's whitefly boxes in a folder not named sticky
		"cards/w": `{"width": 100, "height": 50, "objects": [], "confidence_note": "Whiteflies only: other insects are not boxed"}`,
	} {
		write("bad/"+name+".png", "")
		write("bad/"+name+".boxes.json", body)
	}
	frames, problems, err := FindFrames(dir)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Frame{}
	for _, f := range frames {
		byName[filepath.Base(f.Path)] = f
	}
	if w := byName["w.png"]; !w.Sticky || w.Trap != "cards" || byName["float.png"].Sticky {
		t.Errorf("a whiteflies-only annotation is a card's, wherever it lies: %+v", w)
	}
	delete(byName, "w.png")
	frames = slices.DeleteFunc(frames, func(f Frame) bool { return f.Trap == "cards" })
	if len(frames) != 9 || frames[0].Trap != "bad" || frames[6].Trap != "set2" || !frames[6].Sticky || frames[7].Trap != "sticky" || !frames[7].Sticky || frames[8].Trap != "vermont" || frames[8].Sticky {
		t.Fatalf("frames %+v", frames)
	}
	if v := byName["a.jpg"]; len(v.Ann.Insects()) != 1 || len(v.Ann.NotInsects()) != 1 || byName["b.JPG"].Path == "" {
		t.Fatalf("frames %+v", frames)
	}
	if frames[6].Scale() != PixelsPerMM[StickyFolder] || frames[8].Scale() != PixelsPerMM["vermont"] {
		t.Errorf("scales %v %v: a sticky folder's frames take sticky cards' scale", frames[6].Scale(), frames[8].Scale())
	}
	for name, want := range map[string][]Object{
		"kind.png":    {{Box: [4]int{1, 2, 30, 40}, Kind: KindInsect}},
		"empty.png":   nil,
		"away.png":    nil,
		"unknown.png": {{Box: [4]int{1, 2, 30, 40}, Kind: KindInsect}},
		"outside.png": {{Box: [4]int{0, 2, 100, 40}, Kind: KindInsect}},
		"float.png":   {{Box: [4]int{1, 3, 31, 40}, Kind: KindNotInsect}},
	} {
		f, ok := byName[name]
		if !ok || len(f.Ann.Objects) != len(want) {
			t.Errorf("%s: objects %+v, want %+v", name, f.Ann.Objects, want)
			continue
		}
		for i := range want {
			if f.Ann.Objects[i] != want[i] {
				t.Errorf("%s: object %d = %+v, want %+v", name, i, f.Ann.Objects[i], want[i])
			}
		}
	}
	want := []string{"away.boxes.json: object 0: box", "away.boxes.json: object 1: box [1 2] is not", "away.boxes.json: object 2: json",
		"empty.boxes.json: object 0: box", "json.boxes.json", "kind.boxes.json: object 0: kind \"moth\"",
		"noobjects.boxes.json: no \"objects\"", "size.boxes.json: size 0x0", "noimage.boxes.json: no image"}
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
