package loopkit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCosineLR(t *testing.T) {
	cases := []struct {
		step, total int64
		want        float64
	}{{0, 10, 1}, {5, 10, 0.55}, {10, 10, 0.1}, {20, 10, 0.1}, {3, 0, 1}}
	for _, c := range cases {
		if got := CosineLR(1, 0.1, c.step, c.total); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("step %d/%d: %v, want %v", c.step, c.total, got, c.want)
		}
	}
}

func TestStateRoundTripAndErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	type st struct{ Step int }
	if err := SaveState(path, st{Step: 7}); err != nil {
		t.Fatal(err)
	}
	var got st
	if err := LoadState(path, &got); err != nil || got.Step != 7 {
		t.Fatalf("%+v %v", got, err)
	}
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := LoadState(path, &got); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("bad state: %v, want an error naming %s", err, path)
	}
	if err := LoadState(filepath.Join(dir, "absent.json"), &got); err == nil {
		t.Error("absent state: no error")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
}

func TestCheckLossAndInterrupt(t *testing.T) {
	cases := []struct {
		losses []float64
		bad    bool
	}{{[]float64{1, 2}, false}, {[]float64{1, math.NaN()}, true}, {[]float64{math.Inf(1)}, true}}
	for _, c := range cases {
		err := CheckLoss(3, c.losses...)
		if (err != nil) != c.bad || (err != nil && (!errors.Is(err, ErrDiverged) || !strings.Contains(err.Error(), "step 3"))) {
			t.Errorf("%v: %v", c.losses, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	if Interrupted(ctx) {
		t.Error("interrupted before cancel")
	}
	cancel()
	if !Interrupted(ctx) {
		t.Error("not interrupted after cancel")
	}
}

func TestLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.jsonl")
	for range 2 { // reopening appends
		l, err := OpenLog(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Write(struct {
			Kind string `json:"kind"`
		}{"step"}); err != nil {
			t.Fatal(err)
		}
		l.Close()
	}
	b, _ := os.ReadFile(path)
	if got := strings.Count(string(b), `{"kind":"step"}`); got != 2 {
		t.Errorf("log %q", b)
	}
}

func TestTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var nilFile *os.File
	for name, w := range map[string]io.Writer{"file": f, "buffer": &bytes.Buffer{}, "nil file": nilFile, "nil": nil} {
		if Terminal(w) {
			t.Errorf("%s taken for a terminal", name)
		}
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if !Terminal(tty) {
			t.Error("/dev/tty not taken for a terminal")
		}
	}
}

// TestBarOnlyOnTerminal: a bar written to a log or a buffer draws nothing.
func TestBarOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	bar := Bar(&buf, 10, "steps")
	for i := range 10 {
		_ = bar.Set(i + 1)
	}
	_ = bar.Finish()
	if buf.Len() != 0 {
		t.Errorf("a bar on a buffer wrote %q", buf.String())
	}
}
