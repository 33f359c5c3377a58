package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/agent/modelupdate"
)

func init() {
	var cfgPath string
	cmd := &cobra.Command{
		Use:   "check --config /etc/trapnet/agent.yaml",
		Short: "validate the configuration, load and self-test the model, print the effective settings",
		Long: `check reads the configuration strictly (an unknown key or bad value is an error naming
the key and line), prints it with every default filled in, then loads the model, runs its
self-test and reads the model public key. It connects to nothing and writes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.Load(cfgPath)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			b, err := yaml.Marshal(cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "# %s: valid; effective configuration:\n%s", cfgPath, b)
			m, err := model.Load(cfg.Model.Path)
			if err != nil {
				return err
			}
			if err := m.SelfTest(); err != nil {
				return fmt.Errorf("model %s: %w", cfg.Model.Path, err)
			}
			m.Omit(cfg.Model.OmitColumns...)
			fmt.Fprintf(out, "# model %s: version %s, %d labels, input %dx%d, self-test ok\n", cfg.Model.Path, m.Version(), len(m.Labels()), m.Preprocess().Size, m.Preprocess().Size)
			if s := m.Schema(); s != nil {
				fmt.Fprintf(out, "# metadata columns read by the model: %v (omitted: %v)\n", s.Columns(), m.Omitted())
			}
			if cfg.Model.PublicKey == "" {
				fmt.Fprintln(out, "# model.public_key not set: remote model updates will be refused")
			} else if _, err := modelupdate.LoadPublicKey(cfg.Model.PublicKey); err != nil {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "/etc/trapnet/agent.yaml", "configuration file (YAML)")
	rootCmd.AddCommand(cmd)
}
