// Command agent benchmarks the trap pipeline end to end on synthetic trap
// frames (package synth) with a representative int8 DARTS-like model
// (tflite/testmodel) or a real one (-model):
//
//   - per frame: decode, detect (segmentation + crops + sizes + tracking),
//     classify (preprocess + metadata + interpreter) per crop, total;
//   - the agent binary (`agent run`, a separate process watching a folder)
//     with an in-process mochi-mqtt broker: per-frame latency,
//     capture-to-PUBACK latency (from its health message) and peak RSS;
//   - outbox durable commits/s;
//   - the size of the linux/arm64 agent binary (CGO_ENABLED=0, stripped).
//
// Usage: go run ./bench/agent [-frames 5] [-width 4096 -height 2160] [-model m.tflite]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/agent/outbox"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/metadata"
	"github.com/trapnet/trapnet/preprocess"
	"github.com/trapnet/trapnet/synth/trap"
	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/tflite/testmodel"
)

func main() {
	frames := flag.Int("frames", 5, "synthetic frames")
	width := flag.Int("width", 4096, "frame width")
	height := flag.Int("height", 2160, "frame height")
	ppm := flag.Float64("ppm", 20, "frame pixels per mm")
	size := flag.Int("size", 64, "model input size (generated model)")
	channels := flag.Int("c", 16, "stem channels (generated model)")
	modelPath := flag.String("model", "", "a trapnet .tflite model (default: generated int8 DARTS-like)")
	threads := flag.Int("threads", 2, "model.threads for the agent run (crops classified in parallel)")
	binsize := flag.Bool("binsize", true, "build the linux/arm64 agent and report its size")
	out := flag.String("out", "", "also write the results as JSON here")
	piFactor = flag.Float64("pi-factor", 4, "assumed slowdown of a Raspberry Pi 4 (Cortex-A72 1.5 GHz, plain Go) vs this machine, for the estimate line")
	flag.Parse()
	res, err := run(*frames, *width, *height, *ppm, *size, *channels, *modelPath, *threads, *binsize)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res {
		fmt.Printf("| %-52s | %12s |\n", r.Name, r.Value)
	}
	if *out != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*out, b, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

type result struct{ Name, Value string }

var piFactor *float64

func run(nFrames, w, h int, ppm float64, size, ch int, modelPath string, threads int, binsize bool) ([]result, error) {
	dir, err := os.MkdirTemp("", "trapnet-bench-agent")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if modelPath == "" {
		modelPath = filepath.Join(dir, "model.tflite")
		if err := writeModel(modelPath, int32(size), int32(ch)); err != nil {
			return nil, err
		}
	}
	m, err := model.Load(modelPath)
	if err != nil {
		return nil, err
	}
	o := trap.DefaultOptions()
	o.Dir, o.Frames, o.Width, o.Height, o.PixelsPerMM = dir, nFrames, w, h, ppm
	gt, err := trap.Generate(context.Background(), o)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range gt.Frames {
		paths = append(paths, filepath.Join(dir, trap.FramesDir, f.File))
	}
	var res []result
	add := func(name, format string, a ...any) { res = append(res, result{name, fmt.Sprintf(format, a...)}) }
	add("model", "%s", filepath.Base(modelPath)+" "+m.Version())
	add("frames", "%d x %dx%d", nFrames, w, h)

	// Stage timings, one frame at a time.
	cfg := config.Default()
	cfg.Trap.ID = "bench"
	finder := agent.NewDetectFinder(ppm)
	finder.Tracker = nil // every specimen cropped and classified: the worst case
	var dec, det, cls, tot []float64
	crops := 0
	for _, p := range paths {
		t0 := time.Now()
		img, err := camera.DecodeFile(p, 0)
		if err != nil {
			return nil, err
		}
		t1 := time.Now()
		specs, err := finder.Find(img)
		if err != nil {
			return nil, err
		}
		t2 := time.Now()
		for _, s := range specs {
			tc := time.Now()
			if _, err := m.Classify(s.Crop, agent.MetaRow(&cfg, t0, s.Size)); err != nil {
				return nil, err
			}
			cls = append(cls, ms(time.Since(tc)))
		}
		crops += len(specs)
		dec, det, tot = append(dec, ms(t1.Sub(t0))), append(det, ms(t2.Sub(t1))), append(tot, ms(time.Since(t0)))
	}
	add("specimens per frame (mean)", "%.1f", float64(crops)/float64(nFrames))
	add("decode JPEG, ms/frame (median)", "%.1f", median(dec))
	add("detect + crop + size + track, ms/frame (median)", "%.1f", median(det))
	add("classify, ms/crop (median)", "%.2f", median(cls))
	add("decode + detect + classify, ms/frame (p50 / p99)", "%.1f / %.1f", median(tot), pct(tot, 0.99))
	// A Raspberry Pi 4 (Cortex-A72, 1.5 GHz, plain-Go kernels: no SIMD
	// path on arm64) is not measured here; the estimate scales this
	// machine's figure by -pi-factor, an assumption stated in the output.
	add(fmt.Sprintf("Pi 4 estimate (x%.1f, assumed, not measured), ms/frame p50 / p99", *piFactor), "%.0f / %.0f", *piFactor*median(tot), *piFactor*pct(tot, 0.99))

	// The agent binary as a process, with an embedded broker.
	ar, err := runAgentProcess(dir, modelPath, paths, ppm, threads)
	if err != nil {
		return nil, err
	}
	add(fmt.Sprintf("agent run process (%d threads): frame latency ms, median", threads), "%.1f", ar.frameMS)
	add("agent run process: capture-to-PUBACK ms, p50 / p95", "%.1f / %.1f", ar.puback.P50, ar.puback.P95)
	add("agent run process: peak RSS, MB", "%.1f", ar.rssMB)

	// Outbox.
	box, err := outbox.Open(filepath.Join(dir, "bench.db"), outbox.Options{})
	if err != nil {
		return nil, err
	}
	msg := outbox.Message{Topic: "trapnet/bench/detections", Payload: make([]byte, 700), QoS: 1}
	t0 := time.Now()
	const n = 1000
	for i := 0; i < n; i++ {
		if _, err := box.Put(msg); err != nil {
			return nil, err
		}
	}
	add("outbox durable commits/s (1 msg, fsync each)", "%.0f", n/time.Since(t0).Seconds())
	box.Close()

	if binsize {
		bin := filepath.Join(dir, "agent-arm64")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./cmd/agent")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("build arm64 agent: %v\n%s", err, out)
		}
		st, _ := os.Stat(bin)
		add("agent binary linux/arm64, stripped, MB", "%.2f", float64(st.Size())/1e6)
	}
	return res, nil
}

// writeModel writes an int8 DARTS-like model with trapnet metadata buffers.
func writeModel(path string, size, ch int32) error {
	schema := metadata.DefaultBIOSCAN()
	ft, _ := metadata.NewFitter(schema)
	for i, c := range []string{"Canada", "Costa Rica", "Thailand", "South Africa"} {
		ft.Add(metadata.Row{"country": c, "image_measurement_value": fmt.Sprint(2000 * (i + 1)), "area_fraction": "0.03", "scale_factor": "1.5"})
	}
	schema = ft.Finish()
	const classes = 20
	b := testmodel.New(42)
	testmodel.DARTSLike(b, size, ch, classes, int32(schema.Dim()))
	q, err := testmodel.Quantize(b.M, b.Samples(4, 1.5), testmodel.QuantizeOptions{})
	if err != nil {
		return err
	}
	labels := make([]string, classes)
	for i := range labels {
		labels[i] = fmt.Sprintf("Genus%02d species%02d", i/4, i)
	}
	lb, _ := json.Marshal(labels)
	sb, _ := schema.Marshal()
	pb, _ := json.Marshal(preprocess.Default(int(size)))
	q.SetMetadata(tflite.MetaLabels, lb)
	q.SetMetadata(tflite.MetaMetadataSchema, sb)
	q.SetMetadata(tflite.MetaPreprocess, pb)
	q.SetMetadata(tflite.MetaVersion, []byte("bench-darts-int8"))
	data, err := tflite.Write(q)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(x []float64) float64 { return pct(x, 0.5) }

// pct is the q-quantile of x (nearest rank).
func pct(x []float64, q float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	i := int(q*float64(len(s)) + 0.5)
	return s[min(max(i-1, 0), len(s)-1)]
}
