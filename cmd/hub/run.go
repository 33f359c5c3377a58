package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/hub"
	"github.com/trapnet/trapnet/hub/service"
)

func init() {
	var cfgPath string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "store the traps' messages and serve the web page until stopped (SIGINT/SIGTERM)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := hub.LoadConfig(cfgPath)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return service.Run(ctx, cfg, slog.Default(), func(url string) { fmt.Println("hub: serving", url) })
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "/etc/trapnet/hub.yaml", "configuration file (YAML)")
	rootCmd.AddCommand(cmd)
}
