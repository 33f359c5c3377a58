// Command touching measures how often two insects resting against each
// other on a real light sheet are found as two: each annotated insect of
// the sheets (40-400 px) is copied beside itself, GAP pixels from its box
// (to the right, else left, below or above: the first side where the copy
// lands clear of every annotated box by 12 px), the frame is searched with
// the agent's detector at its folder's scale, and it is scored with the
// copies added as insects. A pair counts as split when both boxes are
// matched (the realframes README's rule). The annotated boxes hold the
// insect with a margin of a few pixels, so at gap 0 most copies touch or
// overlap their original (a copy is blended in as the darker of the two,
// feathered over 6 px).
//
//	go run ./bench/touching -real ../shared/realframes -gaps 0,10,25 [-crops DIR]
//
// -crops writes, for every pair not split, the pair's surroundings with the
// detections (red) and the copy's box (green) drawn.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect/realeval"
)

func main() {
	dir := flag.String("real", "../shared/realframes", "annotated real frames (FRAME.boxes.json beside FRAME.jpg)")
	gaps := flag.String("gaps", "0,10,25", "comma-separated gaps in pixels between an insect's box and its copy's")
	crops := flag.String("crops", "", "write the pairs not split to this folder (PNG)")
	verbose := flag.Bool("v", false, "list the pairs not split")
	flag.Parse()
	all, skipped, err := realeval.FindFrames(*dir)
	if err != nil {
		log.Fatalf("touching: %v", err)
	}
	for _, s := range skipped {
		log.Printf("touching: skipped %s", s)
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
	fmt.Printf("Light-sheet insects copied beside themselves (%d frames of %s; detect.Detect at each folder's scale):\n\n", len(frames), *dir)
	fmt.Println("| gap px | pairs | both found | share | sheets recall | precision | worst count error |")
	fmt.Println("|--:|--:|--:|--:|--:|--:|--:|")
	for _, g := range strings.Split(*gaps, ",") {
		gap, err := strconv.Atoi(strings.TrimSpace(g))
		if err != nil {
			log.Fatalf("touching: -gaps: %q is not a whole number of pixels", g)
		}
		r := run(frames, gap, *crops, *verbose)
		fmt.Printf("| %d | %d | %d | %.2f | %.3f | %.3f | %.2f |\n", gap, r.pairs, r.split, ratio(r.split, r.pairs), r.score.Recall(), r.score.Precision(), r.worst)
	}
}

// result is one gap's outcome over all frames.
type result struct {
	pairs, split int
	score        realeval.Score
	worst        float64
}

// run copies the insects of every frame gap px beside themselves and scores
// the frames.
func run(frames []realeval.Frame, gap int, crops string, verbose bool) result {
	var res result
	for _, f := range frames {
		img, err := camera.DecodeFile(f.Path, 0)
		if err != nil {
			log.Printf("touching: %s: %v (skipped)", f.Path, err)
			continue
		}
		base := image.NewRGBA(img.Bounds())
		draw.Draw(base, base.Bounds(), img, img.Bounds().Min, draw.Src)
		out := image.NewRGBA(base.Bounds())
		copy(out.Pix, base.Pix)
		ann, pairs := addCopies(out, base, f.Ann, gap)
		boxes, err := realeval.DetectBoxes(f, out)
		if err != nil {
			log.Printf("touching: %s: %v (skipped)", f.Path, err)
			continue
		}
		s := realeval.ScoreFrame(ann, boxes, false)
		res.score.Add(s)
		res.worst = max(res.worst, s.CountError())
		ins := ann.Insects()
		ofIns, _ := realeval.Assign(ins, boxes)
		idx := map[image.Rectangle]int{}
		for i, r := range ins {
			idx[r] = i
		}
		for _, p := range pairs {
			res.pairs++
			a, b := ofIns[idx[p[0]]] >= 0, ofIns[idx[p[1]]] >= 0
			if a && b {
				res.split++
				continue
			}
			if verbose {
				fmt.Printf("gap %d %s: %v found %v, its copy %v found %v\n", gap, f.Path, p[0], a, p[1], b)
			}
			if crops != "" {
				writeCrop(out, boxes, p, filepath.Join(crops, fmt.Sprintf("gap%d-%s-%d-%d.png", gap, strings.TrimSuffix(filepath.Base(f.Path), filepath.Ext(f.Path)), p[0].Min.X, p[0].Min.Y)))
			}
		}
	}
	return res
}

// addCopies pastes beside each insect of a (40-400 px) a copy of it from
// base, gap px from its box, where the copy lands clear of every box; it
// returns the annotation with the copies added as insects and the pairs
// (insect, copy).
func addCopies(out, base *image.RGBA, a realeval.Annotation, gap int) (realeval.Annotation, [][2]image.Rectangle) {
	var taken []image.Rectangle
	for _, o := range a.Objects {
		taken = append(taken, image.Rect(o.Box[0], o.Box[1], o.Box[2], o.Box[3]))
	}
	ann := a
	ann.Objects = append([]realeval.Object(nil), a.Objects...)
	var pairs [][2]image.Rectangle
	for _, r := range a.Insects() {
		if s := realeval.LongestSide(r); s < 40 || s > 400 {
			continue
		}
		for _, at := range []image.Point{r.Min.Add(image.Pt(r.Dx()+gap, 0)), r.Min.Add(image.Pt(-r.Dx()-gap, 0)), r.Min.Add(image.Pt(0, r.Dy()+gap)), r.Min.Add(image.Pt(0, -r.Dy()-gap))} {
			dst := image.Rectangle{Min: at, Max: at.Add(r.Size())}
			if !dst.Inset(-2).In(base.Bounds()) || overlapsAny(dst.Inset(-12), taken, r) {
				continue
			}
			paste(out, base, r, 6, at)
			taken = append(taken, dst)
			pairs = append(pairs, [2]image.Rectangle{r, dst})
			ann.Objects = append(ann.Objects, realeval.Object{Box: [4]int{dst.Min.X, dst.Min.Y, dst.Max.X, dst.Max.Y}, Kind: realeval.KindInsect, Note: "copy"})
			break
		}
	}
	return ann, pairs
}

// overlapsAny reports whether r overlaps a box of taken other than except.
func overlapsAny(r image.Rectangle, taken []image.Rectangle, except image.Rectangle) bool {
	for _, t := range taken {
		if t != except && t.Overlaps(r) {
			return true
		}
	}
	return false
}

// paste blends src's patch r, grown by m px and feathered over them, into
// dst with r's top-left at at, as the darker of the two (an insect over the
// sheet or over another insect's wing).
func paste(dst, src *image.RGBA, r image.Rectangle, m int, at image.Point) {
	g := r.Inset(-m).Intersect(src.Bounds())
	for y := g.Min.Y; y < g.Max.Y; y++ {
		for x := g.Min.X; x < g.Max.X; x++ {
			a := math.Min(1, float64(min(x-g.Min.X, g.Max.X-1-x, y-g.Min.Y, g.Max.Y-1-y))/float64(m))
			tx, ty := at.X+x-r.Min.X, at.Y+y-r.Min.Y
			if !image.Pt(tx, ty).In(dst.Bounds()) {
				continue
			}
			s, d := src.RGBAAt(x, y), dst.RGBAAt(tx, ty)
			mix := func(sv, dv uint8) uint8 { return uint8(a*float64(min(sv, dv)) + (1-a)*float64(dv) + 0.5) }
			d.R, d.G, d.B = mix(s.R, d.R), mix(s.G, d.G), mix(s.B, d.B)
			dst.SetRGBA(tx, ty, d)
		}
	}
}

// writeCrop writes the pair's surroundings with the detections and the
// copy's box drawn.
func writeCrop(img *image.RGBA, boxes []image.Rectangle, p [2]image.Rectangle, path string) {
	r := p[0].Union(p[1]).Inset(-30).Intersect(img.Bounds())
	cr := image.NewRGBA(r)
	draw.Draw(cr, r, img, r.Min, draw.Src)
	for _, b := range boxes {
		if b.Overlaps(r) {
			outline(cr, b, color.RGBA{255, 0, 0, 255})
		}
	}
	outline(cr, p[1], color.RGBA{0, 160, 0, 255})
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
