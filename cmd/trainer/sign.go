package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/trapnet/trapnet/agent/modelupdate"
)

func init() {
	var keyPath, out, url string
	var payload bool
	sign := &cobra.Command{
		Use:   "sign --key priv.key model.tflite",
		Short: "sign a model for the agents' model updates (ed25519)",
		Long: `sign writes MODEL.sig (the base64 ed25519 signature of the model file, checked by
the agents against model.public_key). With --payload it prints the JSON to publish on
<prefix>model/set instead: inline (base64) or, with --url, referencing the file.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			priv, err := modelupdate.LoadPrivateKey(keyPath)
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			sig := modelupdate.Sign(priv, data)
			if payload {
				p, err := modelupdate.NewPayload(data, sig, url)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), string(p))
				return nil
			}
			if out == "" {
				out = args[0] + ".sig"
			}
			if err := os.WriteFile(out, []byte(sig+"\n"), 0o644); err != nil {
				return err
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "wrote", out)
			return nil
		},
	}
	sign.Flags().StringVar(&keyPath, "key", "", "private key from `trainer keygen` (required)")
	sign.Flags().StringVar(&out, "out", "", "signature file (default MODEL.sig)")
	sign.Flags().BoolVar(&payload, "payload", false, "print the model/set JSON payload instead of writing MODEL.sig")
	sign.Flags().StringVar(&url, "url", "", "with --payload: the URL or path the agents download the model from (default: inline)")
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
