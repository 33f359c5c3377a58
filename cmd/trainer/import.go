package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/dataset"
)

func init() {
	var out string
	cmd := &cobra.Command{
		Use:   "import --out DIR UNCERTAIN_DIR...",
		Short: "merge labelled crops from agents' uncertain folders into a dataset folder",
		Long: `import reads the uncertain folders of one or more agents (labels.csv, and the
labels-<n>.csv kept when their metadata columns changed) after their label
column was filled in, and merges the labelled crops into DIR: each crop stored
once under its content hash (SHA-256), with its label, detection id, source
folder, prediction and every metadata column as the agent wrote it. DIR gets
labels.csv and dataset.yaml, so it trains as is (--data DIR, together with
other data); its val and test splits are drawn by trap and night. Running it
again adds only new crops. Rows without a label are counted and left out; a
crop seen twice with two labels keeps the first and is reported.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("--out is required")
			}
			res, err := dataset.ImportCrops(out, args)
			if err != nil {
				return err
			}
			fmt.Printf("import: %d crops added, %d duplicates (%d with another label), %d unlabelled left out; %s now holds %d crops\n",
				res.Added, res.Duplicates, res.Conflicts, res.Unlabelled, out, res.Total)
			if len(res.Report.Kinds()) > 0 {
				fmt.Fprintln(os.Stderr, "problems:")
				res.Report.WriteTo(os.Stderr)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "dataset folder to create or extend")
	rootCmd.AddCommand(cmd)
}
