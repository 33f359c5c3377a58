package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/metadata"
)

// classifyResult is one JSON line of `agent classify`.
type classifyResult struct {
	Image        string             `json:"image"`
	TopK         []agent.Prediction `json:"top_k,omitempty"`
	Label        string             `json:"label,omitempty"`
	Score        float64            `json:"score,omitempty"`
	ModelVersion string             `json:"model_version"`
	LatencyMS    float64            `json:"latency_ms"`
	Error        string             `json:"error,omitempty"`
}

func init() {
	var (
		modelPath, date, country, region string
		lat, lon                         float64
		topK                             int
		meta                             []string
	)
	cmd := &cobra.Command{
		Use:   "classify --model model.tflite [--lat --lon --date --country --region --meta k=v] IMG...",
		Short: "classify single-specimen images and print one JSON line each (top-k)",
		Long: `classify runs a model on already-cropped specimen images (no detection step), on a
laptop or on the trap. Metadata flags fill the model's metadata columns; unset ones are
encoded as missing. Unreadable images give a JSON line with "error" and a non-zero exit.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := model.Load(modelPath)
			if err != nil {
				return err
			}
			row := metadata.Row{}
			f := cmd.Flags()
			if f.Changed("lat") != f.Changed("lon") {
				return fmt.Errorf("--lat and --lon go together")
			}
			if f.Changed("lat") {
				row["coord-lat"], row["coord-lon"] = strconv.FormatFloat(lat, 'g', -1, 64), strconv.FormatFloat(lon, 'g', -1, 64)
			}
			if date != "" {
				if _, err := metadata.ParseTime(date); err != nil {
					return fmt.Errorf("--date %q: %w", date, err)
				}
				row["date"] = date
			}
			if country != "" {
				row["country"] = country
			}
			if region != "" {
				row["province_state"] = region
			}
			for _, kv := range meta {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || k == "" {
					return fmt.Errorf("--meta %q: want column=value", kv)
				}
				row[k] = v
			}
			if s := m.Schema(); s != nil {
				if _, errs := s.Encode(nil, row); len(errs) > 0 {
					for _, e := range errs {
						fmt.Fprintln(os.Stderr, "agent classify: warning:", e)
					}
				}
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			failed := 0
			for _, path := range args {
				res := classifyResult{Image: path, ModelVersion: m.Version()}
				img, err := camera.DecodeFile(path, 0)
				if err == nil {
					t0 := time.Now()
					var preds []agent.Prediction
					if preds, err = m.Classify(img, row); err == nil {
						res.TopK = agent.TopK(preds, topK)
						res.Label, res.Score = res.TopK[0].Label, res.TopK[0].Score
						res.LatencyMS = float64(time.Since(t0).Microseconds()) / 1000
					}
				}
				if err != nil {
					res.Error = err.Error()
					failed++
				}
				if err := enc.Encode(res); err != nil {
					return err
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d images could not be classified", failed, len(args))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&modelPath, "model", "", "the .tflite model (required)")
	f.Float64Var(&lat, "lat", 0, "latitude of the capture (degrees)")
	f.Float64Var(&lon, "lon", 0, "longitude of the capture (degrees)")
	f.StringVar(&date, "date", "", "capture date, e.g. 2026-06-30")
	f.StringVar(&country, "country", "", "country of the capture")
	f.StringVar(&region, "region", "", "province or state of the capture")
	f.StringArrayVar(&meta, "meta", nil, "any other metadata column, column=value (repeatable)")
	f.IntVar(&topK, "top-k", 5, "labels to print per image")
	cmd.MarkFlagRequired("model")
	rootCmd.AddCommand(cmd)
}
