package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/agent/modelupdate"
	"github.com/trapnet/trapnet/agent/runner"
)

func init() {
	var cfgPath string
	cmd := &cobra.Command{
		Use:   "check --config /etc/trapnet/agent.yaml",
		Short: "validate the configuration and the files it names, load and self-test the model",
		Long: `check reads the configuration strictly (an unknown key or bad value is an error naming
the key and line), prints it with every default filled in, then runs the same checks as
` + "`agent run`" + ` before it starts: credential, certificate and key files readable and valid,
the watch folder present, the state directories writable (probed with a temporary file that
is removed at once), the model public key readable; it loads the model and runs its
self-test within model.selftest_timeout. Risky settings (a world-readable password file, a
password over plain tcp://) are printed as warnings. It connects to nothing.`,
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
			fmt.Fprintf(out, "# %s: configuration valid; effective configuration:\n%s", cfgPath, b)
			warnings, perr := runner.Preflight(cfg)
			for _, w := range warnings {
				fmt.Fprintln(out, "# warning:", w)
			}
			m, err := modelupdate.LoadTested(cfg.Model.Path, func(p string) (*model.Model, error) { return model.LoadN(p, 1) }, cfg.Model.SelfTestTimeout)
			if err != nil {
				return errors.Join(perr, fmt.Errorf("model.path %s: %w", cfg.Model.Path, err))
			}
			m.Omit(cfg.Model.OmitColumns...)
			fmt.Fprintf(out, "# model %s: version %s, %d labels, input %dx%d, self-test ok\n", cfg.Model.Path, m.Version(), len(m.Labels()), m.Preprocess().Size, m.Preprocess().Size)
			if s := m.Schema(); s != nil {
				fmt.Fprintf(out, "# metadata columns read by the model: %v (omitted: %v)\n", s.Columns(), m.Omitted())
			}
			if cfg.Model.PublicKey == "" {
				fmt.Fprintln(out, "# model.public_key not set: remote model updates will be refused")
			}
			if perr != nil {
				return perr
			}
			fmt.Fprintln(out, "# ready: `agent run` would start with this configuration")
			return nil
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "/etc/trapnet/agent.yaml", "configuration file (YAML)")
	rootCmd.AddCommand(cmd)
}
