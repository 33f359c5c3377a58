package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/detect/overlay"
)

// detectError is the JSON line of `agent detect` for a frame that failed.
type detectError struct {
	Frame string `json:"frame"`
	Error string `json:"error"`
}

func init() {
	var cfgPath, modelPath, annotate, verifierPath, surface string
	var ppm float64
	cmd := &cobra.Command{
		Use:   "detect [--pixels-per-mm N | --config agent.yaml] [--surface auto|sticky_card|sheet] [--model model.tflite] [--verifier FILE] [--annotate DIR] FRAME...",
		Short: "find the specimens on trap frames and print one JSON line each: what the agent sees",
		Long: `detect runs the agent's specimen finder once on each frame and prints one JSON line per
specimen: the frame path, box and size in pixels, in mm when the scale is given (--pixels-per-mm,
or capture.pixels_per_mm of --config) or read from the frame (a millimetre ruler in view; a
checkerboard or solid bar as capture.scale_square_mm or capture.solid_bar_mm of --config say),
with the scale and its source (otherwise the agent's default scale is assumed for detection and
no mm are printed), and label and score with --model. --annotate DIR writes
each frame as DIR/NAME.jpg with the boxes (and labels) drawn. --verifier (or model.verifier of
--config) judges a sticky card's specimens of 5 mm or more and drops those it takes for junk.
--surface (or capture.surface of --config) says what the camera looks at: sticky_card finds a
card in a grey-level photo (a monochrome camera) by its brightness. A frame that cannot be read or
processed gives a JSON line with "error"; the others go on, and the exit status is non-zero.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, withMM := config.Default(), false
			if cfgPath != "" {
				c, err := config.Load(cfgPath)
				if err != nil {
					return err
				}
				cfg, withMM = *c, true
			}
			if cmd.Flags().Changed("pixels-per-mm") {
				if !(ppm > 0) {
					return fmt.Errorf("--pixels-per-mm must be > 0, got %v", ppm)
				}
				cfg.Capture.PixelsPerMM, withMM = ppm, true
			}
			if cmd.Flags().Changed("surface") {
				if !slices.Contains(config.Surfaces, surface) {
					return fmt.Errorf("--surface %q: want one of %s", surface, strings.Join(config.Surfaces, ", "))
				}
				cfg.Capture.Surface = surface
			}
			var cls agent.Classifier
			if modelPath != "" {
				m, err := model.Load(modelPath)
				if err != nil {
					return err
				}
				m.Omit(cfg.Model.OmitColumns...)
				cls = m
			}
			if annotate != "" {
				if err := os.MkdirAll(annotate, 0o755); err != nil {
					return fmt.Errorf("--annotate: %w", err)
				}
			}
			in := agent.NewInspector(&cfg, cfg.Capture.PixelsPerMM, withMM, cls)
			if cmd.Flags().Changed("verifier") {
				cfg.Model.Verifier = verifierPath
			}
			if cfg.Model.Verifier != "" {
				v, err := model.LoadVerifier(cfg.Model.Verifier)
				if err != nil {
					return fmt.Errorf("verifier: %w", err)
				}
				df := in.Finder.(*agent.DetectFinder)
				df.Options.Verifier, df.Options.VerifierReject = v, cfg.Model.VerifierReject
			}
			return detectFrames(cmd, in, args, annotate)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfgPath, "config", "", "agent configuration (YAML): scale, time zone, trap metadata")
	f.Float64Var(&ppm, "pixels-per-mm", 0, "frame scale in pixels per mm (overrides --config)")
	f.StringVar(&surface, "surface", "auto", "what the camera looks at: auto, sticky_card (a card even in grey levels) or sheet (overrides --config)")
	f.StringVar(&modelPath, "model", "", "label each specimen with this .tflite model")
	f.StringVar(&verifierPath, "verifier", "", "judge a sticky card's larger specimens with this insect/junk .tflite (bench/verifier); overrides model.verifier")
	f.StringVar(&annotate, "annotate", "", "write each frame with its boxes drawn to this folder (JPEG)")
	rootCmd.AddCommand(cmd)
}

// detectFrames inspects each frame, printing JSON lines; failures are
// printed and counted, and make the result an error.
func detectFrames(cmd *cobra.Command, in *agent.Inspector, paths []string, annotate string) error {
	enc := json.NewEncoder(cmd.OutOrStdout())
	failed, hinted := 0, false
	fail := func(path string, err error) error {
		failed++
		return enc.Encode(detectError{Frame: path, Error: err.Error()})
	}
	var encErr error
	src := camera.NewFiles(paths, camera.Options{Location: in.Cfg.Location(), OnReject: func(r camera.Rejection) {
		encErr = errors.Join(encErr, fail(r.Path, r.Reason))
	}})
	for {
		fr, err := src.Next(cmd.Context())
		if encErr != nil {
			return encErr
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		found, err := in.Inspect(fr)
		if err == nil && annotate != "" {
			err = writeAnnotated(filepath.Join(annotate, annotatedName(fr.Path)), fr.Image, found)
		}
		if err != nil {
			if err := fail(fr.Path, err); err != nil {
				return err
			}
			continue
		}
		for _, s := range found {
			if err := enc.Encode(s); err != nil {
				return err
			}
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d specimens\n", fr.Path, len(found))
		if r, ok := in.Finder.(agent.FrameReporter); ok && r.LastFrame().GreySheet && !hinted {
			fmt.Fprintf(cmd.ErrOrStderr(), "agent detect: %s\n", agent.GreySheetHint)
			hinted = true
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d frames failed", failed, len(paths))
	}
	return nil
}

// annotatedName is the annotated copy's name: the frame's base name with a
// .jpg extension.
func annotatedName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base)) + ".jpg"
}

func writeAnnotated(path string, img image.Image, found []agent.Found) error {
	marks := make([]overlay.Mark, len(found))
	for i, s := range found {
		marks[i] = overlay.Mark{Box: s.Box.Rect(), Color: color.RGBA{230, 0, 30, 255}}
		if s.Label != "" {
			marks[i].Label = fmt.Sprintf("%s %.2f", s.Label, s.Score)
		}
	}
	return overlay.WriteJPEG(path, overlay.Draw(img, marks))
}
