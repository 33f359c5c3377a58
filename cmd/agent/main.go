// Command agent is the trap-side half of trapnet: it captures frames, finds
// specimens, classifies them with an int8 .tflite model and publishes over MQTT.
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
	Use:           "agent",
	Short:         "trapnet agent: capture, detect, classify and publish insect detections",
	SilenceUsage:  true,
	SilenceErrors: true,
	PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
		applyMemoryLimit()
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
		fmt.Fprintln(os.Stderr, "agent:", err)
		os.Exit(1)
	}
}
