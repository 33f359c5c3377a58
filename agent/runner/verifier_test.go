package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/agent/model"
	"github.com/trapnet/trapnet/agent/model/testmodel"
)

func TestLoadVerifier(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("verifier.tflite", testmodel.Build(testmodel.Options{Labels: []string{"insect", model.RejectLabel}}))
	if _, err := LoadVerifier(good); err != nil {
		t.Errorf("verifier: %v", err)
	}
	for name, c := range map[string]struct {
		path, want string
	}{
		"species model": {write("species.tflite", testmodel.Build(testmodel.Options{})), "junk"},
		"broken model":  {write("broken.tflite", testmodel.Build(testmodel.Options{Labels: []string{"insect", model.RejectLabel}, Broken: true})), ""},
		"missing file":  {filepath.Join(dir, "none.tflite"), "none.tflite"},
	} {
		_, err := LoadVerifier(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want one naming %q", name, err, c.want)
		}
	}
}
