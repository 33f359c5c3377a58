package flagconfig

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestApplyFile(t *testing.T) {
	cases := []struct {
		name, yaml, args, want string
		wantErr                string
	}{
		{"sets unset flags", "channels: 16\nnodes: 4\n", "", "16/4/[]", ""},
		{"command line wins", "channels: 16\n", "--channels=12", "12/2/[]", ""},
		{"list sets a repeatable flag", "meta: [a=1, b=2]\n", "", "8/2/[a=1 b=2]", ""},
		{"empty file", "", "", "8/2/[]", ""},
		{"unknown key names file line", "nodes: 3\nchanels: 16\n", "", "", `c.yaml:2: chanels: unknown key`},
		{"bad value", "nodes: many\n", "", "", "nodes"},
		{"nested config", "config: other.yaml\n", "", "", "cannot name another"},
		{"mapping value", "nodes: {a: 1}\n", "", "", "want a value"},
		{"not a mapping", "- 1\n", "", "", "want a mapping"},
		{"bad yaml", "nodes: [\n", "", "", "c.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := &cobra.Command{Use: "t", RunE: func(*cobra.Command, []string) error { return nil }}
			Register(cmd)
			ch := cmd.Flags().Int("channels", 8, "")
			nodes := cmd.Flags().Int("nodes", 2, "")
			meta := cmd.Flags().StringArray("meta", nil, "")
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := cmd.ParseFlags(append(strings.Fields(c.args), "--config", path)); err != nil {
				t.Fatal(err)
			}
			err := Apply(cmd)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join([]string{itoa(*ch), itoa(*nodes), "[" + strings.Join(*meta, " ") + "]"}, "/")
			if got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

// TestApplyKeepsLocalConfig: a command with its own --config (agent run)
// is left alone.
func TestApplyKeepsLocalConfig(t *testing.T) {
	root := &cobra.Command{Use: "root"}
	Register(root)
	var own string
	child := &cobra.Command{Use: "run", RunE: func(*cobra.Command, []string) error { return nil }}
	child.Flags().StringVar(&own, Name, "", "the agent's configuration")
	root.AddCommand(child)
	root.SetArgs([]string{"run", "--config", "/does/not/exist.yaml"})
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return Apply(cmd) }
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if own != "/does/not/exist.yaml" {
		t.Errorf("own --config = %q", own)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestMissing(t *testing.T) {
	root := &cobra.Command{Use: "root"}
	run := func(*cobra.Command, []string) error { return nil }
	a, b := &cobra.Command{Use: "a", RunE: run}, &cobra.Command{Use: "b", RunE: run}
	root.AddCommand(a, b)
	if got := Missing(root); strings.Join(got, ",") != "root a,root b" {
		t.Errorf("before Register: %v", got)
	}
	Register(root)
	if got := Missing(root); len(got) != 0 {
		t.Errorf("after Register: %v", got)
	}
}

func TestSetupLogging(t *testing.T) {
	for _, tc := range []struct {
		level string
		debug bool
		err   string
	}{
		{"debug", true, ""},
		{"warn", false, ""},
		{"loud", false, "--log-level"},
	} {
		root := &cobra.Command{Use: "x"}
		RegisterLogLevel(root)
		if err := root.PersistentFlags().Set(LogLevel, tc.level); err != nil {
			t.Fatal(err)
		}
		err := SetupLogging(root)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want one naming %s", tc.level, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := slog.Default().Enabled(context.Background(), slog.LevelDebug); got != tc.debug {
			t.Errorf("%s: debug enabled %v", tc.level, got)
		}
	}
}
