package trap_test

import (
	"context"
	"fmt"
	"os"

	"github.com/trapnet/trapnet/synth/trap"
)

// Photograph one trap session: specimens accumulate from frame to frame
// and keep their ids, so a tracker should publish each of them once.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "synth-frames-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	o := trap.DefaultOptions()
	o.Dir, o.Frames, o.Width, o.Height, o.PixelsPerMM = dir, 3, 640, 360, 8
	o.MinSpecimens, o.MaxSpecimens, o.NewMin, o.NewMax = 3, 3, 2, 2
	gt, err := trap.Generate(context.Background(), o)
	if err != nil {
		panic(err)
	}
	for _, f := range gt.Frames {
		last := f.Specimens[len(f.Specimens)-1]
		fmt.Println(f.File, f.Province == gt.Frames[0].Province, len(f.Specimens), "specimens,", f.New, "new, last", last.ID, "from", last.FirstFrame)
	}
	// Output:
	// frame_0001.jpg true 3 specimens, 3 new, last s0003 from frame_0001.jpg
	// frame_0002.jpg true 5 specimens, 2 new, last s0005 from frame_0002.jpg
	// frame_0003.jpg true 7 specimens, 2 new, last s0007 from frame_0003.jpg
}
