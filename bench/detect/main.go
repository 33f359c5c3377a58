// Command detect evaluates package detect on real trap frames annotated by
// hand (-real DIR: every FRAME.boxes.json with its image under DIR, scored by
// detect/realeval; -model also runs the agent's crops and classifier) or on
// a folder of synthetic trap frames with a
// synth-style ground_truth.json (as written by `trainer synth --frames N`,
// or generated here with -synth N):
// per-frame and overall recall and precision against the body boxes at IoU
// >= -iou (0.3, the real frames' scoring), wall and CPU
// time per frame, and optionally annotated copies of the frames (truth in
// blue, detections in red, misses and false positives drawn thicker).
//
//	go run ./bench/detect -frames DATASET/frames [-annotate OUT] [-iou 0.5] [-v]
//	go run ./bench/detect -synth 12 [-ppm 20] [-bg mixed] [-seed 1] [-v]
//	go run ./bench/detect -real ../shared/realframes [-model model.tflite] [-annotate OUT] [-v]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"log"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect"
	"github.com/trapnet/trapnet/detect/overlay"
	"github.com/trapnet/trapnet/synth/trap"
)

func main() {
	if err := mainErr(); err != nil {
		log.Fatal(err)
	}
}

func mainErr() error {
	frames := flag.String("frames", "", "folder with the frames and "+trap.GroundTruthFile)
	annotate := flag.String("annotate", "", "write annotated frames (JPEG) to this folder")
	minIoU := flag.Float64("iou", 0.3, "IoU needed for a detection to match a true body box (0.3: the real frames' scoring)")
	flag.BoolVar(&verbose, "v", false, "list misses and false positives")
	nSynth := flag.Int("synth", 0, "generate this many synth frames (in a temporary folder) instead of -frames")
	so := trap.DefaultOptions()
	flag.Float64Var(&so.PixelsPerMM, "ppm", so.PixelsPerMM, "with -synth: pixels per mm")
	flag.StringVar(&so.Background, "bg", so.Background, "with -synth: sheet, sticky or mixed")
	flag.Uint64Var(&so.Seed, "seed", so.Seed, "with -synth: seed")
	flag.IntVar(&so.Width, "width", so.Width, "with -synth: frame width")
	flag.IntVar(&so.Height, "height", so.Height, "with -synth: frame height")
	realDir := flag.String("real", "", "score on the annotated real frames under this folder (FRAME.boxes.json beside FRAME.jpg)")
	modelPath := flag.String("model", "", "with -real: also crop and classify every specimen with this .tflite model")
	verifierPath := flag.String("verifier", "", "with -real: judge the sticky cards' specimens of 5 mm or more with this insect/junk .tflite (bench/verifier)")
	flag.StringVar(&judgedFile, "judged", judgedFile, "with -real: the sticky cards' larger detections judged by eye (tab-separated: frame x0 y0 x1 y1 insect|junk|unsure note)")
	flag.StringVar(&judgeOut, "judge-out", "", "with -real: write the sticky cards' detections of 40 px or more that no judged row names to this file, for a person to label and add to -judged")
	flag.IntVar(&arriveTakes, "arrive", 0, "with -real: take every sticky card this many times while whiteflies arrive (realeval.CardArrivals, 5 a take) and print what the agent's tracker counts, against a sheet's tracker, and each card swapped for the next")
	flag.BoolVar(&again, "again", false, "with -real: take every frame again (realeval's retake: fresh sensor noise, JPEG 90) and print what the agent's tracker counts again")
	perturb := flag.String("perturb", "", "with -real: score the frames as taken and changed by these perturbations (comma-separated names of realeval.Perturbations, or all) instead")
	flag.Parse()
	if *realDir != "" && *perturb != "" {
		return runPerturb(*realDir, *perturb)
	}
	if *realDir != "" {
		return runReal(*realDir, *modelPath, *verifierPath, *annotate)
	}
	if *nSynth > 0 {
		dir, err := os.MkdirTemp("", "detect-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		so.Dir, so.Frames = dir, *nSynth
		if _, err := trap.Generate(context.Background(), so); err != nil {
			return err
		}
		*frames = filepath.Join(dir, trap.FramesDir)
	}
	if *frames == "" {
		return fmt.Errorf("-frames or -synth is required")
	}
	return run(*frames, *annotate, *minIoU)
}

var verbose, again bool

// arriveTakes is -arrive: takes per card (0: not run).
var arriveTakes int

func run(dir, annotate string, minIoU float64) error {
	raw, err := os.ReadFile(filepath.Join(dir, trap.GroundTruthFile))
	if err != nil {
		return err
	}
	var gt trap.GroundTruth
	if err := json.Unmarshal(raw, &gt); err != nil {
		return fmt.Errorf("%s: %w", trap.GroundTruthFile, err)
	}
	if annotate != "" {
		if err := os.MkdirAll(annotate, 0o755); err != nil {
			return err
		}
	}
	var tp, nt, nd int
	var walls, cpus []time.Duration
	fmt.Printf("%-18s %-7s %5s %5s %5s %7s %7s %8s %8s\n", "frame", "bg", "true", "det", "tp", "recall", "prec", "wall-ms", "cpu-ms")
	for _, ft := range gt.Frames {
		img, err := camera.DecodeFile(filepath.Join(dir, ft.File), 0)
		if err != nil {
			return err
		}
		c0, t0 := cpuTime(), time.Now()
		got, err := detect.Detect(img, detect.DefaultOptions(ft.PixelsPerMM))
		wall, cpu := time.Since(t0), cpuTime()-c0
		if err != nil {
			return fmt.Errorf("%s: %w", ft.File, err)
		}
		truth := make([]image.Rectangle, len(ft.Specimens))
		for i, s := range ft.Specimens {
			truth[i] = image.Rect(s.BodyBox[0], s.BodyBox[1], s.BodyBox[2], s.BodyBox[3]) // body and wings, as the detector boxes them
		}
		boxes := make([]image.Rectangle, len(got))
		for i, s := range got {
			boxes[i] = s.Box
		}
		matchT, matchD := match(truth, boxes, minIoU)
		n := 0
		for _, m := range matchT {
			if m >= 0 {
				n++
			}
		}
		fmt.Printf("%-18s %-7s %5d %5d %5d %7.3f %7.3f %8.1f %8.1f\n", ft.File, ft.Background, len(truth), len(boxes), n,
			ratio(n, len(truth)), ratio(n, len(boxes)), ms(wall), ms(cpu))
		if verbose {
			for i, m := range matchT {
				if m < 0 {
					s := ft.Specimens[i]
					fmt.Printf("  miss %v %s %.1f mm, best IoU %.2f\n", truth[i], s.Species, s.LengthMM, bestIoU(truth[i], boxes))
				}
			}
			for i, m := range matchD {
				if m < 0 {
					fmt.Printf("  false positive %v %.2f mm², best IoU %.2f\n", boxes[i], got[i].AreaMM2, bestIoU(boxes[i], truth))
				}
			}
		}
		tp, nt, nd = tp+n, nt+len(truth), nd+len(boxes)
		walls, cpus = append(walls, wall), append(cpus, cpu)
		if annotate != "" {
			if err := writeAnnotated(filepath.Join(annotate, ft.File), img, truth, boxes, matchT, matchD); err != nil {
				return err
			}
		}
	}
	fmt.Printf("overall: %d frames, %d true, %d detected, recall %.3f, precision %.3f, p50 wall %.1f ms, p50 cpu %.1f ms\n",
		len(gt.Frames), nt, nd, ratio(tp, nt), ratio(tp, nd), ms(p50(walls)), ms(p50(cpus)))
	return nil
}

// match pairs truth and detections greedily by IoU; -1 marks no partner.
func match(truth, det []image.Rectangle, minIoU float64) (mt, md []int) {
	mt, md = make([]int, len(truth)), make([]int, len(det))
	for i := range md {
		md[i] = -1
	}
	for ti, t := range truth {
		mt[ti] = -1
		best := minIoU
		for di, d := range det {
			if v := detect.IoU(t, d); md[di] < 0 && v >= best {
				best, mt[ti] = v, di
			}
		}
		if mt[ti] >= 0 {
			md[mt[ti]] = ti
		}
	}
	return mt, md
}

func bestIoU(r image.Rectangle, others []image.Rectangle) float64 {
	best := 0.0
	for _, o := range others {
		best = max(best, detect.IoU(r, o))
	}
	return best
}

func writeAnnotated(path string, img image.Image, truth, det []image.Rectangle, mt, md []int) error {
	var marks []overlay.Mark
	for i, r := range truth {
		marks = append(marks, overlay.Mark{Box: r, Color: color.RGBA{0, 60, 255, 255}, Width: thick(mt[i] < 0)})
	}
	for i, r := range det {
		marks = append(marks, overlay.Mark{Box: r, Color: color.RGBA{255, 0, 0, 255}, Width: thick(md[i] < 0)})
	}
	return overlay.WriteJPEG(path, overlay.Draw(img, marks))
}

func thick(unmatched bool) int {
	if unmatched {
		return 6
	}
	return 2
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func p50(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// cpuTime is this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
