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
	// This seed's trap is a sticky card, photographed as a used card is
	// (PhotoCard): its whiteflies are specimens too, beside the 3 first and
	// 2 new catalog specimens per frame.
	//
	// Output:
	// frame_0001.jpg true 9 specimens, 9 new, last s0009 from frame_0001.jpg
	// frame_0002.jpg true 11 specimens, 2 new, last s0011 from frame_0002.jpg
	// frame_0003.jpg true 14 specimens, 3 new, last s0014 from frame_0003.jpg
}
