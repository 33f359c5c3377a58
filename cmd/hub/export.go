package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/hub"
)

func init() {
	var cfgPath, out string
	var f hub.Filter
	cmd := &cobra.Command{
		Use:   "export csv|dwca|reviewed",
		Short: "write the detections as CSV, a Darwin Core Archive (checked) or the reviewed crops as a dataset zip",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := hub.LoadConfig(cfgPath)
			if err != nil {
				return err
			}
			s, err := cfg.OpenStore()
			if err != nil {
				return err
			}
			defer s.Close()
			ctx := context.Background()
			var b bytes.Buffer
			switch args[0] {
			case "csv":
				err = s.WriteCSV(ctx, &b, f)
			case "dwca":
				if err = s.WriteDwCA(ctx, &b, cfg.Dataset); err == nil {
					if probs := hub.CheckDwCA(bytes.NewReader(b.Bytes()), int64(b.Len())); len(probs) > 0 {
						err = fmt.Errorf("the archive fails its structural check:\n  %s", strings.Join(probs, "\n  "))
					}
				}
			case "reviewed":
				var n int
				n, err = s.WriteReviewed(ctx, &b)
				fmt.Fprintf(os.Stderr, "%d reviewed crops\n", n)
			default:
				return fmt.Errorf("unknown export %q: want csv, dwca or reviewed", args[0])
			}
			if err != nil {
				return err
			}
			if out == "-" {
				_, err = os.Stdout.Write(b.Bytes())
				return err
			}
			return os.WriteFile(out, b.Bytes(), 0o644)
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "/etc/trapnet/hub.yaml", "configuration file (YAML)")
	cmd.Flags().StringVar(&out, "out", "-", "output file (- for stdout)")
	cmd.Flags().StringVar(&f.Trap, "trap", "", "csv: only this trap")
	cmd.Flags().StringVar(&f.From, "from", "", "csv: first night (YYYY-MM-DD)")
	cmd.Flags().StringVar(&f.To, "to", "", "csv: last night (YYYY-MM-DD)")
	rootCmd.AddCommand(cmd)
}
