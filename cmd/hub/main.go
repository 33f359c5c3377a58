// Command hub is the operator's side of trapnet: it stores what the traps
// publish over MQTT and serves a web page with their health, counts per
// species per night, a review of crops and exports (see hub/README.md).
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
	Use:           "hub",
	Short:         "trapnet hub: store the traps' detections, show them on a web page, export them",
	SilenceUsage:  true,
	SilenceErrors: true,
	PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
		return flagconfig.SetupLogging(cmd)
	},
}

func init() {
	flagconfig.RegisterLogLevel(rootCmd)
}

func main() {
	if err := rootCmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "hub:", err)
		os.Exit(1)
	}
}
