package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/trapnet/trapnet/agent"
)

// agentRun is what runAgentProcess measured.
type agentRun struct {
	frameMS float64 // median whole-frame processing time (frames messages)
	puback  agent.LatencySummary
	rssMB   float64
}

// runAgentProcess builds the host agent, runs `agent run` on a watched
// folder holding the frames, with an in-process broker, until every frame
// is published and acknowledged, then stops it with SIGTERM.
func runAgentProcess(dir, modelPath string, paths []string, ppm float64, threads int) (agentRun, error) {
	var res agentRun
	bin := filepath.Join(dir, "agent")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/agent").CombinedOutput(); err != nil {
		return res, fmt.Errorf("build agent: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	addr := l.Addr().String()
	l.Close()
	srv := mqtt.New(&mqtt.Options{InlineClient: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv.AddHook(new(auth.AllowHook), nil)
	if err := srv.AddListener(listeners.NewTCP(listeners.Config{ID: "t", Address: addr})); err != nil {
		return res, err
	}
	var mu sync.Mutex
	var frames []agent.FrameSummary
	var health agent.Health
	srv.Subscribe("trapnet/bench/#", 1, func(_ *mqtt.Client, _ packets.Subscription, pk packets.Packet) {
		mu.Lock()
		defer mu.Unlock()
		switch pk.TopicName {
		case "trapnet/bench/frames":
			var f agent.FrameSummary
			if json.Unmarshal(pk.Payload, &f) == nil {
				frames = append(frames, f)
			}
		case "trapnet/bench/health":
			json.Unmarshal(pk.Payload, &health)
		}
	})
	go srv.Serve()
	defer srv.Close()

	work := filepath.Join(dir, "agentrun")
	incoming := filepath.Join(work, "incoming")
	if err := os.MkdirAll(incoming, 0o755); err != nil {
		return res, err
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return res, err
		}
		if err := os.WriteFile(filepath.Join(incoming, filepath.Base(p)), b, 0o644); err != nil {
			return res, err
		}
	}
	cfg := fmt.Sprintf(`trap: {id: bench}
capture: {trigger: files, watch_dir: %[1]s/incoming, pixels_per_mm: %[2]g}
model: {path: %[3]q, threads: %[4]d}
uncertain: {dir: %[1]s/uncertain}
outbox: {path: %[1]s/outbox.db}
mqtt: {broker: "tcp://%[5]s", reconnect_max: 1s}
health: {interval: 500ms}
`, work, ppm, modelPath, threads, addr)
	cfgPath := filepath.Join(work, "agent.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		return res, err
	}
	logf, _ := os.Create(filepath.Join(work, "agent.log"))
	defer logf.Close()
	cmd := exec.Command(bin, "run", "--config", cfgPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return res, err
	}
	deadline := time.Now().Add(10 * time.Minute)
	for {
		mu.Lock()
		done := len(frames) >= len(paths) && health.Captures >= uint64(len(paths)) && health.Queue.Depth == 0
		mu.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			return res, fmt.Errorf("agent did not publish %d frames in time (see %s)", len(paths), logf.Name())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The child's own high-water mark. (rusage's Maxrss of an exec'd child
	// can report the parent's RSS at fork time, which is this benchmark's.)
	res.rssMB = vmHWM(cmd.Process.Pid)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		return res, fmt.Errorf("agent run: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	var ms []float64
	for _, f := range frames {
		ms = append(ms, f.LatencyMS)
	}
	res.frameMS, res.puback = median(ms), health.CaptureToPubackMS
	return res, nil
}

// vmHWM reads a process's peak resident set size (VmHWM) in MB from /proc.
func vmHWM(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
