package testmodel

import (
	"os"
	"testing"
)

// TestWriteForSmoke writes a model for manual smoke tests when TESTMODEL_OUT is set.
func TestWriteForSmoke(t *testing.T) {
	out := os.Getenv("TESTMODEL_OUT")
	if out == "" {
		t.Skip("set TESTMODEL_OUT=path to write a test model")
	}
	if err := os.WriteFile(out, Build(Options{Int8: true, Version: "smoke-int8"}), 0o644); err != nil {
		t.Fatal(err)
	}
}
