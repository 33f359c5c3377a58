package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/runner"
)

func init() {
	var cfgPath string
	var drain time.Duration
	cmd := &cobra.Command{
		Use:   "run",
		Short: "capture, detect, classify and publish until stopped (SIGINT/SIGTERM)",
		Long: `run is the trap's service: on every trigger (interval or new file) it captures a
frame, finds the specimens, classifies the new ones with the model, commits the results
to the durable outbox and publishes them over MQTT (see agent/README.md for the topics).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.Load(cfgPath)
			if err != nil {
				return err
			}
			r, err := runner.New(cfg, runner.Options{})
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return r.Run(ctx, drain)
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "/etc/trapnet/agent.yaml", "configuration file (YAML)")
	cmd.Flags().DurationVar(&drain, "drain", 5*time.Second, "on shutdown, how long to keep publishing the outbox")
	rootCmd.AddCommand(cmd)
}
