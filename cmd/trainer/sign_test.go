package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/trapnet/trapnet/agent/modelupdate"
)

// `trainer sign --payload` and `--rollback` produce payloads the agents
// verify: signature over the file's SHA-256 and the given version.
func TestSignPayloads(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "fleet")
	model := filepath.Join(dir, "m.tflite")
	os.WriteFile(model, []byte("model bytes"), 0o644)
	run := func(args ...string) []byte {
		t.Helper()
		var out bytes.Buffer
		rootCmd.SetOut(&out)
		rootCmd.SetArgs(args)
		if err := rootCmd.Execute(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return out.Bytes()
	}
	run("keygen", "--out", prefix)
	pub, err := modelupdate.LoadPublicKey(prefix + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	var p modelupdate.Payload
	if err := json.Unmarshal(run("sign", "--key", prefix+".key", "--payload", "--version", "42", model), &p); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("model bytes"))
	if p.Version != 42 || p.SHA256 != hex.EncodeToString(sum[:]) || p.Data == "" {
		t.Fatalf("payload %+v", p)
	}
	if err := modelupdate.Verify(pub, sum[:], 42, p.Signature); err != nil {
		t.Fatal(err)
	}
	var rb modelupdate.Payload
	if err := json.Unmarshal(run("sign", "--key", prefix+".key", "--rollback", "--version", "43"), &rb); err != nil {
		t.Fatal(err)
	}
	if !rb.Rollback || modelupdate.VerifyRollback(pub, 43, rb.Signature) != nil {
		t.Fatalf("rollback payload %+v", rb)
	}
}
