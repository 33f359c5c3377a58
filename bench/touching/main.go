// Command touching measures how often two insects resting against each
// other on a real light sheet are found as two (realeval.Touching): beside
// each annotated insect of the sheets (40-400 px) it pastes a neighbour, GAP
// pixels from its box, searches the frame with the agent's detector at its
// folder's scale, and scores it with the neighbours added as insects. A pair
// counts as split when both boxes are matched (the realframes README's
// rule). The neighbour is a copy of the insect as it lies (-with copy) or
// of the frame's other insect nearest it in size, turned by 0-3 quarters
// (-with other). The annotated boxes hold the insect with a margin of a few
// pixels, so at gap 0 most pairs touch or overlap.
//
//	go run ./bench/touching -real ../shared/realframes -gaps 0,10,25 [-with other] [-crops DIR]
//
// -crops writes, for every pair not split, the pair's surroundings with the
// detections (red) and the neighbour's box (green) drawn.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/trapnet/trapnet/detect/realeval"
)

func main() {
	dir := flag.String("real", "../shared/realframes", "annotated real frames (FRAME.boxes.json beside FRAME.jpg)")
	gaps := flag.String("gaps", "0,10,25", "comma-separated gaps in pixels between an insect's box and its neighbour's")
	crops := flag.String("crops", "", "write the pairs not split to this folder (PNG)")
	verbose := flag.Bool("v", false, "list the pairs not split")
	with := flag.String("with", "copy", "what rests beside each insect: copy (itself, as it lies) or other (the frame's insect nearest its size, turned 0-3 quarters)")
	flag.Parse()
	neighbours := map[string]realeval.Neighbours{"copy": realeval.Copies, "other": realeval.Others}
	nb, ok := neighbours[*with]
	if !ok {
		log.Fatalf("touching: -with %q: want copy or other", *with)
	}
	all, skipped, err := realeval.FindFrames(*dir)
	if err != nil {
		log.Fatalf("touching: %v", err)
	}
	for _, s := range skipped {
		log.Printf("touching: skipped %s", s)
	}
	if *crops != "" {
		if err := os.MkdirAll(*crops, 0o755); err != nil {
			log.Fatalf("touching: -crops: %v", err)
		}
	}
	var frames []realeval.Frame
	for _, f := range all {
		if !f.Sticky && !realeval.NotSheet[f.Trap] {
			frames = append(frames, f)
		}
	}
	if len(frames) == 0 {
		log.Fatalf("touching: no light-sheet frames under %s", *dir)
	}
	fmt.Printf("Light-sheet insects with a neighbour (%s) pasted beside them (%d frames of %s; detect.Detect at each folder's scale):\n\n", *with, len(frames), *dir)
	fmt.Println("| gap px | pairs | both found | share | sheets recall | precision | worst count error |")
	fmt.Println("|--:|--:|--:|--:|--:|--:|--:|")
	for _, g := range strings.Split(*gaps, ",") {
		gap, err := strconv.Atoi(strings.TrimSpace(g))
		if err != nil {
			log.Fatalf("touching: -gaps: %q is not a whole number of pixels", g)
		}
		lost := func(f realeval.Frame, img *image.RGBA, boxes []image.Rectangle, p realeval.Pair) {
			if *verbose {
				fmt.Printf("gap %d %s: %v and its neighbour %v not both found\n", gap, f.Path, p.Insect, p.Neighbour)
			}
			if *crops != "" {
				name := fmt.Sprintf("gap%d-%s-%d-%d.png", gap, strings.TrimSuffix(filepath.Base(f.Path), filepath.Ext(f.Path)), p.Insect.Min.X, p.Insect.Min.Y)
				writeCrop(img, boxes, p, filepath.Join(*crops, name))
			}
		}
		r, skipped := realeval.Touching(frames, gap, nb, realeval.DetectBoxes, lost)
		for _, s := range skipped {
			log.Printf("touching: skipped %s", s)
		}
		fmt.Printf("| %d | %d | %d | %.2f | %.3f | %.3f | %.2f |\n", gap, r.Pairs, r.Split, ratio(r.Split, r.Pairs), r.Score.Recall(), r.Score.Precision(), r.Worst)
	}
}

// writeCrop writes the pair's surroundings with the detections and the
// copy's box drawn.
func writeCrop(img *image.RGBA, boxes []image.Rectangle, p realeval.Pair, path string) {
	r := p.Insect.Union(p.Neighbour).Inset(-30).Intersect(img.Bounds())
	cr := image.NewRGBA(r)
	draw.Draw(cr, r, img, r.Min, draw.Src)
	for _, b := range boxes {
		if b.Overlaps(r) {
			outline(cr, b, color.RGBA{255, 0, 0, 255})
		}
	}
	outline(cr, p.Neighbour, color.RGBA{0, 160, 0, 255})
	fh, err := os.Create(path)
	if err != nil {
		log.Fatalf("touching: %v", err)
	}
	defer fh.Close()
	if err := png.Encode(fh, cr); err != nil {
		log.Fatalf("touching: %s: %v", path, err)
	}
}

// outline draws b's one-pixel outline on img (clipped to it).
func outline(img *image.RGBA, b image.Rectangle, c color.RGBA) {
	for x := b.Min.X; x < b.Max.X; x++ {
		img.SetRGBA(x, b.Min.Y, c)
		img.SetRGBA(x, b.Max.Y-1, c)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		img.SetRGBA(b.Min.X, y, c)
		img.SetRGBA(b.Max.X-1, y, c)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
