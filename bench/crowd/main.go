// Command crowd measures the agent's detector as a light sheet fills up
// (realeval.Crowded): on each annotated sheet of the chosen trap folders it
// pastes N more of the frame's own insects at random places (turned, apart
// from every box by -gap px), times detect.Detect (the least and the median
// of -runs), and scores the frame with the pasted insects added (the
// realframes README's rule; -gap 0 lets them touch, bench/touching
// measures that case).
//
//	go run ./bench/crowd -real ../shared/realframes -traps panama -n 0,100,200,400
package main

import (
	"flag"
	"fmt"
	"log"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect/realeval"
)

func main() {
	dir := flag.String("real", "../shared/realframes", "annotated real frames (FRAME.boxes.json beside FRAME.jpg)")
	traps := flag.String("traps", "panama", "comma-separated trap folders to crowd (light sheets)")
	ns := flag.String("n", "0,100,200,400", "comma-separated numbers of insects to paste")
	gap := flag.Int("gap", 4, "least distance in pixels between a pasted insect's box and any other")
	runs := flag.Int("runs", 3, "detections timed per frame and number")
	seed := flag.Uint64("seed", 1, "placement seed")
	flag.Parse()
	if err := run(*dir, *traps, *ns, *gap, *runs, *seed); err != nil {
		log.Fatal(err)
	}
}

func run(dir, traps, ns string, gap, runs int, seed uint64) error {
	var counts []int
	for _, s := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			return fmt.Errorf("-n: %q is not a count", s)
		}
		counts = append(counts, n)
	}
	if runs < 1 {
		return fmt.Errorf("-runs must be at least 1")
	}
	want := map[string]bool{}
	for _, t := range strings.Split(traps, ",") {
		want[strings.TrimSpace(t)] = true
	}
	frames, problems, err := realeval.FindFrames(dir)
	if err != nil {
		return err
	}
	for _, p := range problems {
		log.Println("skipped:", p)
	}
	fmt.Printf("Light sheets crowded with their own insects (%s; pasted %d px apart at least; detect.Detect, DefaultOptions at the folder's scale, %d runs):\n\n", dir, gap, runs)
	fmt.Println("| frame | insects | detect ms (least / median) | specimens | recall | precision | count error |")
	fmt.Println("|---|--:|--:|--:|--:|--:|--:|")
	done := 0
	for _, f := range frames {
		if f.Sticky || !want[f.Trap] {
			continue
		}
		img, err := camera.DecodeFile(f.Path, 0)
		if err != nil {
			log.Printf("%s: %v", f.Path, err)
			continue
		}
		for _, n := range counts {
			out, ann := realeval.Crowded(img, f.Ann, n, gap, seed)
			var times []time.Duration
			var s realeval.Score
			for range runs {
				t0 := time.Now()
				boxes, err := realeval.DetectBoxes(f, out)
				times = append(times, time.Since(t0))
				if err != nil {
					return fmt.Errorf("%s: %w", f.Path, err)
				}
				s = realeval.ScoreFrame(ann, boxes, false)
			}
			slices.Sort(times)
			fmt.Printf("| %s | %d | %d / %d | %d | %.3f | %.3f | %.2f |\n", filepath.Base(f.Path), s.Annotated,
				times[0].Milliseconds(), times[len(times)/2].Milliseconds(), s.Detections, s.Recall(), s.Precision(), s.CountError())
		}
		done++
	}
	if done == 0 {
		return fmt.Errorf("no light-sheet frame in %q under %s", traps, dir)
	}
	return nil
}
