package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/dataset"
)

// dataFlags are the dataset flags every trainer command that reads data
// shares: --data (repeatable) and --spec (repeatable).
type dataFlags struct {
	dirs, specs []string
}

// add registers --data and --spec on cmd.
func (d *dataFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&d.dirs, "data", nil, "dataset folder: BIOSCAN-5M layout ("+dataset.BIOSCANMetadataFile+
		"), a generic CSV folder with "+dataset.SpecFile+" (e.g. imported field crops), or labelled photos in class folders (DIR/LABEL/photo.jpg, optionally DIR/train|val|test/LABEL/...); repeat to train on several at once")
	f.StringArrayVar(&d.specs, "spec", nil, "YAML spec file of a generic CSV dataset (repeatable; combined with --data)")
}

// paths returns the dataset paths given, or an error naming the flags.
func (d *dataFlags) paths() ([]string, error) {
	p := append(append([]string(nil), d.dirs...), d.specs...)
	if len(p) == 0 {
		return nil, fmt.Errorf("--data DIR or --spec FILE is required")
	}
	return p, nil
}

// printSources writes one line per source: what came from where.
func printSources(w io.Writer, cmd string, srcs []dataset.SourceSummary) {
	for _, s := range srcs {
		fmt.Fprintf(w, "%s: data %s\n", cmd, s.Describe())
	}
}
