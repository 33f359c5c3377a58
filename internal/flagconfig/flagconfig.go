// Package flagconfig gives every trainer and agent command a --config flag:
// a YAML file whose keys are the command's flag names, whose values are set
// as if given on the command line; flags given on the command line win. It
// also holds the --log-level flag the agent, trainer and hub share.
//
// A command whose own local --config flag means something else (agent run
// and check: the agent's configuration file) keeps its own meaning.
package flagconfig

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// Name is the flag Register adds.
const Name = "config"

// Register adds the persistent --config flag to root. Call Apply from root's
// PersistentPreRunE, before anything reads the flags.
func Register(root *cobra.Command) {
	root.PersistentFlags().String(Name, "", "YAML file of flag values (keys are flag names; the command line wins)")
}

// Apply sets cmd's flags from the file named by --config, if one was given
// and cmd has no local --config of its own.
func Apply(cmd *cobra.Command) error {
	if cmd.LocalNonPersistentFlags().Lookup(Name) != nil {
		return nil
	}
	fl := cmd.Flags().Lookup(Name)
	if fl == nil || fl.Value.String() == "" {
		return nil
	}
	return ApplyFile(cmd.Flags(), fl.Value.String())
}

// ApplyFile sets the flags of fs named by the keys of the YAML mapping in
// path, except those given on the command line. A list value sets a
// repeatable flag once per item. Errors name the file, the line and the key.
func ApplyFile(fs *pflag.FlagSet, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Content) == 0 {
		return nil // empty file
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: want a mapping of flag names to values", path, m.Line)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if err := setFlag(fs, k.Value, v); err != nil {
			return fmt.Errorf("%s:%d: %s: %w", path, k.Line, k.Value, err)
		}
	}
	return nil
}

// setFlag sets flag name from the YAML value v unless the command line set it.
func setFlag(fs *pflag.FlagSet, name string, v *yaml.Node) error {
	if name == Name {
		return errors.New("a config file cannot name another")
	}
	fl := fs.Lookup(name)
	if fl == nil {
		return errors.New("unknown key (keys are flag names)")
	}
	if fl.Changed {
		return nil
	}
	var items []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		items = []*yaml.Node{v}
	case yaml.SequenceNode:
		items = v.Content
	default:
		return errors.New("want a value or a list of values")
	}
	for _, it := range items {
		if it.Kind != yaml.ScalarNode {
			return errors.New("want a value or a list of values")
		}
		if err := fl.Value.Set(it.Value); err != nil {
			return err
		}
	}
	fl.Changed = true
	return nil
}

// Missing lists the runnable commands under root that have no --config flag
// (for a test that every command takes one).
func Missing(root *cobra.Command) []string {
	var out []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && c.Flag(Name) == nil {
			out = append(out, c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

// Execute runs root with args plus --config naming a file (written in dir)
// that holds yaml, from the default state of the flags of the command args
// name, and puts them back after: for tests of a package-level command tree
// that other tests execute too.
func Execute(root *cobra.Command, dir, yaml string, args ...string) error {
	cmd, _, err := root.Find(args)
	if err != nil {
		return err
	}
	reset(cmd)
	defer reset(cmd)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		return err
	}
	root.SetArgs(append(args, "--"+Name, path))
	return root.Execute()
}

// reset puts every flag of cmd (its own and inherited) back to its default,
// unset state.
func reset(cmd *cobra.Command) {
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			_ = sv.Replace(nil)
		} else {
			_ = f.Value.Set(f.DefValue)
		}
		f.Changed = false
	})
}

// LogLevel is the flag RegisterLogLevel adds.
const LogLevel = "log-level"

// RegisterLogLevel adds the persistent --log-level flag to root (every
// command of agent, trainer and hub has it). Call SetupLogging from root's
// PersistentPreRunE.
func RegisterLogLevel(root *cobra.Command) {
	root.PersistentFlags().String(LogLevel, "info", "log level: debug, info, warn, error")
}

// SetupLogging makes the default slog logger write text to stderr at cmd's
// --log-level; an unknown level is an error naming the flag.
func SetupLogging(cmd *cobra.Command) error {
	var lvl slog.Level
	if fl := cmd.Flag(LogLevel); fl != nil {
		if err := lvl.UnmarshalText([]byte(fl.Value.String())); err != nil {
			return fmt.Errorf("--%s: %w", LogLevel, err)
		}
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl})))
	return nil
}
