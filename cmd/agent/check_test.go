package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/agent/model/testmodel"
)

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	mp := filepath.Join(dir, "m.tflite")
	os.WriteFile(mp, testmodel.Build(testmodel.Options{Version: "chk-1"}), 0o644)
	cases := []struct {
		name, yaml, want string
		ok               bool
	}{
		{"valid", "trap: {id: t1}\nmodel: {path: " + mp + "}\n", "version chk-1, 3 labels", true},
		{"unknown key", "trap: {id: t1}\nmodel: {path: " + mp + ", treshold: 1}\n", "unknown key model.treshold", false},
		{"missing model", "trap: {id: t1}\nmodel: {path: " + filepath.Join(dir, "none.tflite") + "}\n", "no such file", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := filepath.Join(dir, c.name+".yaml")
			os.WriteFile(cfg, []byte(c.yaml), 0o644)
			var out bytes.Buffer
			rootCmd.SetOut(&out)
			rootCmd.SetArgs([]string{"check", "--config", cfg})
			err := rootCmd.Execute()
			text := out.String()
			if err != nil {
				text += err.Error()
			}
			if (err == nil) != c.ok || !strings.Contains(text, c.want) {
				t.Fatalf("err = %v, output %q; want ok=%v and %q", err, out.String(), c.ok, c.want)
			}
		})
	}
}
