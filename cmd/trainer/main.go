// Command trainer is the offline half of trapnet: it makes or checks datasets,
// searches a multimodal cell architecture, trains, evaluates and quantizes it.
//
// Each subcommand lives in its own file of this package and registers itself
// on rootCmd from an init function.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/internal/flagconfig"
)

var rootCmd = &cobra.Command{
	Use:           "trainer",
	Short:         "trapnet trainer: dataset tools, architecture search, training, evaluation, int8 quantization",
	SilenceUsage:  true,
	SilenceErrors: true,
	PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
		if err := flagconfig.Apply(cmd); err != nil {
			return err
		}
		return flagconfig.SetupLogging(cmd)
	},
}

func init() {
	flagconfig.RegisterLogLevel(rootCmd)
	flagconfig.Register(rootCmd)
}

func main() {
	if err := rootCmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "trainer:", err)
		os.Exit(1)
	}
}
