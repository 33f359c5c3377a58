// Command trapdemo is the last stage of `make demo`: it starts an embedded
// MQTT broker (mochi-mqtt) on 127.0.0.1, subscribes to the trap's topics,
// starts `agent run` with a folder source, drops synthetic trap frames into
// the watched folder one by one, prints the detections, per-frame counts and
// alerts as they arrive, and ends with a comparison against the frames'
// ground truth. With --hub-db the hub's ingester stores everything the trap
// publishes (crops included) in that SQLite file, for `hub run`.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/hooks/auth"
	"github.com/mochi-mqtt/server/v2/listeners"
	"gopkg.in/yaml.v3"

	"github.com/trapnet/trapnet/agent/config"
)

func main() {
	var o options
	flag.StringVar(&o.agentBin, "agent", "bin/agent", "agent binary")
	flag.StringVar(&o.model, "model", "", "model .tflite file")
	flag.StringVar(&o.frames, "frames", "", "folder with frame_*.jpg and ground_truth.json (trainer synth --frames)")
	flag.StringVar(&o.work, "work", "", "working folder for the agent (config, watched folder, outbox)")
	flag.DurationVar(&o.every, "every", 1500*time.Millisecond, "delay between two dropped frames")
	flag.DurationVar(&o.timeout, "timeout", 5*time.Minute, "give up after this long")
	flag.StringVar(&o.hubDB, "hub-db", "", "store what the trap publishes in this hub SQLite database")
	flag.Parse()
	if o.model == "" || o.frames == "" || o.work == "" {
		fmt.Fprintln(os.Stderr, "usage: trapdemo --agent bin/agent --model model.tflite --frames DIR/frames --work DIR")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, &o); err != nil {
		fmt.Fprintln(os.Stderr, "trapdemo:", err)
		os.Exit(1)
	}
}

type options struct {
	agentBin, model, frames, work, hubDB string
	every, timeout                       time.Duration
}

func run(ctx context.Context, o *options) error {
	gt, err := loadTruth(filepath.Join(o.frames, "ground_truth.json"))
	if err != nil {
		return err
	}
	addr, broker, err := startBroker()
	if err != nil {
		return err
	}
	defer broker.Close()
	fmt.Printf("embedded MQTT broker on tcp://%s\n", addr)

	const trap = "demo-trap"
	sub := newSubscriber(trap)
	client := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("tcp://" + addr).SetClientID("trapdemo-operator"))
	if t := client.Connect(); t.WaitTimeout(10*time.Second) && t.Error() != nil {
		return fmt.Errorf("subscriber: %w", t.Error())
	}
	defer client.Disconnect(100)
	if t := client.Subscribe("trapnet/"+trap+"/#", 1, sub.handle); t.WaitTimeout(10*time.Second) && t.Error() != nil {
		return fmt.Errorf("subscribe: %w", t.Error())
	}
	fmt.Printf("operator subscribed to trapnet/%s/#\n\n", trap)
	if o.hubDB != "" {
		stopHub, err := startHub(ctx, o.hubDB, "tcp://"+addr)
		if err != nil {
			return err
		}
		defer stopHub()
	}

	cfgPath, watch, err := writeConfig(o, gt, trap, addr)
	if err != nil {
		return err
	}
	agentLog, err := os.Create(filepath.Join(o.work, "agent.log"))
	if err != nil {
		return err
	}
	defer agentLog.Close()
	cmd := exec.CommandContext(ctx, o.agentBin, "run", "--config", cfgPath)
	cmd.Stdout, cmd.Stderr = agentLog, agentLog
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start agent: %w", err)
	}
	fmt.Printf("agent started (pid %d, log %s, config %s)\n", cmd.Process.Pid, agentLog.Name(), cfgPath)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	deadline := time.After(o.timeout)
	for i, f := range gt.Frames {
		if err := dropFrame(filepath.Join(o.frames, f.File), watch, f.Time); err != nil {
			return err
		}
		slog.Debug("dropped", "frame", f.File)
		select {
		case <-time.After(o.every):
		case err := <-exited:
			return fmt.Errorf("agent exited early (%v): see %s", err, agentLog.Name())
		case <-ctx.Done():
			return ctx.Err()
		}
		_ = i
	}
	// Wait for every frame's summary.
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
wait:
	for sub.frameCount() < len(gt.Frames) {
		select {
		case <-tick.C:
		case <-deadline:
			fmt.Printf("timed out after %v waiting for frame summaries (%d of %d)\n", o.timeout, sub.frameCount(), len(gt.Frames))
			break wait
		case err := <-exited:
			return fmt.Errorf("agent exited early (%v): see %s", err, agentLog.Name())
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	time.Sleep(500 * time.Millisecond) // let the last alerts arrive
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
	}
	sub.summary(gt)
	return nil
}

func startBroker() (string, *mochi.Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	s := mochi.New(&mochi.Options{InlineClient: false, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err := s.AddHook(new(auth.AllowHook), nil); err != nil {
		return "", nil, err
	}
	if err := s.AddListener(listeners.NewTCP(listeners.Config{ID: "demo", Address: addr})); err != nil {
		return "", nil, err
	}
	go func() {
		if err := s.Serve(); err != nil {
			slog.Error("broker", "err", err)
		}
	}()
	return addr, s, nil
}

// writeConfig writes the agent's YAML: trap at the first frame's place,
// folder trigger, the demo broker, and an alert on the commonest species.
func writeConfig(o *options, gt *truth, trap, addr string) (cfgPath, watch string, err error) {
	watch = filepath.Join(o.work, "incoming")
	if err := os.MkdirAll(watch, 0o755); err != nil {
		return "", "", err
	}
	model, err := filepath.Abs(o.model)
	if err != nil {
		return "", "", err
	}
	f0 := gt.Frames[0]
	lat, lon := f0.Lat, f0.Lon
	pest := gt.commonest()
	cfg := config.Default()
	cfg.Trap.ID, cfg.Trap.Timezone = trap, "UTC"
	cfg.Trap.Location = config.Location{Lat: &lat, Lon: &lon, Country: f0.Country, Region: f0.Province}
	cfg.Capture.Trigger, cfg.Capture.WatchDir, cfg.Capture.PixelsPerMM = "files", watch, f0.PixelsPerMM
	cfg.Model.Path, cfg.Model.TopK, cfg.Model.MinConfidence = model, 3, 0.4
	cfg.Uncertain.Dir, cfg.Uncertain.MaxBytes = filepath.Join(o.work, "uncertain"), 64<<20
	cfg.Outbox.Path = filepath.Join(o.work, "outbox.db")
	cfg.MQTT.Broker = "tcp://" + addr
	cfg.Health.Interval = 5 * time.Second
	cfg.Crops.Enabled = true
	cfg.Alerts = []config.Alert{{Name: "pest-" + pest, Labels: []string{pest}, MinCount: 3, Window: 24 * time.Hour, MinConfidence: 0.4}}
	b, err := yaml.Marshal(&cfg)
	if err != nil {
		return "", "", err
	}
	cfgPath = filepath.Join(o.work, "agent.yaml")
	fmt.Printf("pest alert rule: %q, 3 or more in 24 h with confidence >= 0.4\n", pest)
	return cfgPath, watch, os.WriteFile(cfgPath, b, 0o644)
}

// dropFrame copies a frame into the watched folder atomically (hidden name,
// then rename) with the capture time as its modification time.
func dropFrame(src, dir string, at time.Time) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "."+filepath.Base(src))
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	if !at.IsZero() {
		_ = os.Chtimes(tmp, at, at)
	}
	return os.Rename(tmp, filepath.Join(dir, filepath.Base(src)))
}

type truth struct {
	Frames []struct {
		File        string    `json:"file"`
		Time        time.Time `json:"time"`
		Lat         float64   `json:"lat"`
		Lon         float64   `json:"lon"`
		Country     string    `json:"country"`
		Province    string    `json:"province_state"`
		PixelsPerMM float64   `json:"pixels_per_mm"`
		Specimens   []struct {
			ID         string `json:"id"`
			FirstFrame string `json:"first_frame"`
			Box        [4]int `json:"box"`
			// BodyBox is body and wings (legs and antennae left out): the
			// box the agent publishes (detect.Specimen.Box).
			BodyBox [4]int `json:"body_box"`
			Species string `json:"species"`
		} `json:"specimens"`
	} `json:"frames"`
}

func loadTruth(path string) (*truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(t.Frames) == 0 {
		return nil, fmt.Errorf("%s: no frames", path)
	}
	return &t, nil
}

// commonest is the species with most specimens over all frames.
func (t *truth) commonest() string {
	n := map[string]int{}
	for _, f := range t.Frames {
		for _, s := range f.Specimens {
			n[s.Species]++
		}
	}
	var names []string
	for k := range n {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if n[names[i]] != n[names[j]] {
			return n[names[i]] > n[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) == 0 {
		return ""
	}
	return names[0]
}
