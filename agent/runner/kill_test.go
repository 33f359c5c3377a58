package runner

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent"
	"github.com/trapnet/trapnet/agent/config"
	"github.com/trapnet/trapnet/camera"
	"github.com/trapnet/trapnet/internal/brokertest"
)

// printingSource prints the id of each frame once the pipeline asks for the
// next one, i.e. once the frame's messages were committed to the outbox.
type printingSource struct {
	camera.Source
	w    *bufio.Writer
	last string
}

func (p *printingSource) Next(ctx context.Context) (camera.Frame, error) {
	if p.last != "" {
		fmt.Fprintln(p.w, p.last)
		p.w.Flush()
	}
	f, err := p.Source.Next(ctx)
	p.last = f.ID
	return f, err
}

// TestAgentHelper is the subprocess of TestKill9: it runs the agent on many
// frames with the broker down, printing each committed frame's id.
func TestAgentHelper(t *testing.T) {
	cfgPath := os.Getenv("TRAPNET_AGENT_HELPER")
	if cfgPath == "" {
		t.Skip("helper for TestKill9")
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	frames, _ := filepath.Glob(filepath.Join(filepath.Dir(cfgPath), "frames", "*.png"))
	src := &printingSource{Source: camera.NewFiles(frames, camera.Options{}), w: bufio.NewWriter(os.Stdout)}
	r, err := New(cfg, Options{Finder: agent.WholeImage{}, Source: src, Log: quiet()})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	r.Run(context.Background(), 0)
	time.Sleep(time.Minute) // wait to be killed
	os.Exit(0)
}

// TestKill9 kills the agent with SIGKILL while it commits frames (broker
// down), then restarts it with the broker up: every frame committed before
// the kill is published.
func TestKill9(t *testing.T) {
	if os.Getenv("TRAPNET_AGENT_HELPER") != "" {
		return
	}
	b := newStoppedBroker(t)
	e := newEnv(t, b.URL)
	os.MkdirAll(filepath.Join(e.dir, "frames"), 0o755)
	for i := 0; i < 400; i++ {
		writeImage(t, filepath.Join(e.dir, "frames", fmt.Sprintf("f%03d.png", i)), green)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAgentHelper$")
	cmd.Env = append(os.Environ(), "TRAPNET_AGENT_HELPER="+filepath.Join(e.dir, "agent.yaml"))
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var committed []string
	for sc.Scan() && len(committed) < 50 {
		committed = append(committed, sc.Text())
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if len(committed) < 50 {
		t.Fatalf("helper committed only %d frames: %v", len(committed), committed)
	}

	b.Start(t)
	r, err := New(e.cfg, Options{Finder: agent.WholeImage{}, Source: camera.NewFiles(nil, camera.Options{}), Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	depth := r.Outbox().Stats().Depth
	if err := r.Run(context.Background(), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	// mochi acks before delivering: wait for the last committed frame.
	msgs, _ := b.WaitUntil("trapnet/t1/frames", func(ms []brokertest.Msg) bool { return len(frameIDs(t, ms)) >= len(committed) }, 5*time.Second)
	ids := frameIDs(t, msgs)
	got := map[string]bool{}
	for _, id := range ids {
		got[id] = true
	}
	for _, id := range committed {
		if !got[id] {
			t.Fatalf("frame %s was committed before kill -9 but never published (%d published)", id, len(ids))
		}
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] < ids[i-1] {
			t.Fatalf("published out of order: %s after %s", ids[i], ids[i-1])
		}
	}
	t.Logf("%d frames committed before kill -9, %d queued after restart, %d published", len(committed), depth, len(ids))
}
