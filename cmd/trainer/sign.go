package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/agent/modelupdate"
)

func init() {
	var keyPath, out, url string
	var payload, rollback bool
	var version uint64
	sign := &cobra.Command{
		Use:   "sign --key priv.key [--version N] model.tflite | sign --key priv.key --rollback --version N",
		Short: "sign a model update (or a rollback) for the agents (ed25519)",
		Long: `sign signs a model file's SHA-256 together with an update version (default: the
current Unix time), checked by the agents against model.public_key before they fetch
anything. Each trap accepts only versions higher than any it accepted before, so a
re-published or older payload is refused. It writes MODEL.sig (the signature and the
version) or, with --payload, prints the JSON to publish on <prefix>model/set: inline
(base64) or, with --url, referencing the file (https:// or a path under the traps'
model.update_dir). With --rollback it prints a signed rollback command instead (the
traps go back to their previous model; --version must be newer than the last update).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if rollback {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			priv, err := modelupdate.LoadPrivateKey(keyPath)
			if err != nil {
				return err
			}
			if version == 0 {
				version = uint64(time.Now().Unix())
			}
			if rollback {
				p, err := modelupdate.NewRollbackPayload(version, modelupdate.SignRollback(priv, version))
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), string(p))
				return nil
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			sig := modelupdate.Sign(priv, data, version)
			if payload {
				p, err := modelupdate.NewPayload(data, version, sig, url)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), string(p))
				return nil
			}
			if out == "" {
				out = args[0] + ".sig"
			}
			if err := os.WriteFile(out, []byte(fmt.Sprintf("%s\nversion %d\n", sig, version)), 0o644); err != nil {
				return err
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "wrote", out, "for version", version)
			return nil
		},
	}
	sign.Flags().StringVar(&keyPath, "key", "", "private key from `trainer keygen` (required)")
	sign.Flags().StringVar(&out, "out", "", "signature file (default MODEL.sig)")
	sign.Flags().BoolVar(&payload, "payload", false, "print the model/set JSON payload instead of writing MODEL.sig")
	sign.Flags().StringVar(&url, "url", "", "with --payload: the https URL or update_dir path the agents read the model from (default: inline)")
	sign.Flags().Uint64Var(&version, "version", 0, "update version, higher than any sent before (default: current Unix time)")
	sign.Flags().BoolVar(&rollback, "rollback", false, "print a signed rollback command (no model file)")
	sign.MarkFlagRequired("key")
	rootCmd.AddCommand(sign)

	var force bool
	var prefix string
	keygen := &cobra.Command{
		Use:   "keygen --out NAME",
		Short: "make an ed25519 key pair for signing models (NAME.key private, NAME.pub public)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			priv, pub, err := modelupdate.GenerateKey()
			if err != nil {
				return err
			}
			flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
			if !force {
				flags |= os.O_EXCL
			}
			for _, f := range []struct {
				path string
				data []byte
				mode os.FileMode
			}{{prefix + ".key", priv, 0o600}, {prefix + ".pub", pub, 0o644}} {
				w, err := os.OpenFile(f.path, flags, f.mode)
				if err != nil {
					return fmt.Errorf("%w (use --force to overwrite)", err)
				}
				if _, err := w.Write(f.data); err != nil {
					w.Close()
					return err
				}
				if err := w.Close(); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s.key (keep secret) and %s.pub (install on traps as model.public_key)\n", prefix, prefix)
			return nil
		},
	}
	keygen.Flags().StringVar(&prefix, "out", "model-signing", "file name prefix")
	keygen.Flags().BoolVar(&force, "force", false, "overwrite existing key files")
	rootCmd.AddCommand(keygen)
}
