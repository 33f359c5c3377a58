package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestApplySearchConfig(t *testing.T) {
	cases := []struct {
		name, yaml, args, want string
		wantErr                string
	}{
		{"sets unset flags", "channels: 16\nnodes: 4\n", "", "16/4", ""},
		{"command line wins", "channels: 16\n", "--channels=12", "12/2", ""},
		{"unknown key", "chanels: 16\n", "", "", `unknown key "chanels"`},
		{"bad value", "nodes: many\n", "", "", "nodes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
			ch := fs.Int("channels", 8, "")
			nodes := fs.Int("nodes", 2, "")
			var args []string
			if c.args != "" {
				args = strings.Fields(c.args)
			}
			if err := fs.Parse(args); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			err := applyConfig(fs, path)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join([]string{itoa(*ch), itoa(*nodes)}, "/"); got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
