package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/trapnet/trapnet/agent"
)

// subscriber is the operator's side: it prints what the trap publishes and
// keeps it for the final comparison with the ground truth.
type subscriber struct {
	prefix string

	mu         sync.Mutex
	detections []agent.Detection
	frames     []agent.FrameSummary
	alerts     []agent.Alert
	health     int
	bad        int
}

func newSubscriber(trap string) *subscriber { return &subscriber{prefix: "trapnet/" + trap + "/"} }

func (s *subscriber) frameCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.frames)
}

func (s *subscriber) handle(_ mqtt.Client, m mqtt.Message) {
	topic := strings.TrimPrefix(m.Topic(), s.prefix)
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	switch topic {
	case "detections":
		var d agent.Detection
		if err = json.Unmarshal(m.Payload(), &d); err == nil {
			s.detections = append(s.detections, d)
			flag := ""
			if d.Uncertain {
				flag = " (uncertain)"
			}
			fmt.Printf("  detection %-14s box %4d,%4d-%4d,%4d  %5.1f mm  %-28s %.2f%s\n",
				d.FrameID, d.Box.X0, d.Box.Y0, d.Box.X1, d.Box.Y1, d.Size.LengthMM, d.Label, d.Score, flag)
		}
	case "frames":
		var f agent.FrameSummary
		if err = json.Unmarshal(m.Payload(), &f); err == nil {
			s.frames = append(s.frames, f)
			fmt.Printf("frame %s: %d specimens (%d new, %d uncertain) in %.0f ms: %s\n\n",
				f.FrameID, f.Specimens, f.New, f.Uncertain, f.LatencyMS, counts(f.Counts))
		}
	case "alerts":
		var a agent.Alert
		if err = json.Unmarshal(m.Payload(), &a); err == nil {
			s.alerts = append(s.alerts, a)
			fmt.Printf("*** ALERT %s: %d x %s within %.0f h ***\n", a.Rule, a.Count, strings.Join(a.Labels, ", "), a.WindowSeconds/3600)
		}
	case "status":
		fmt.Printf("trap status: %s\n", m.Payload())
	case "health":
		s.health++
	}
	if err != nil {
		s.bad++
		fmt.Printf("unreadable message on %s: %v\n", m.Topic(), err)
	}
}

func counts(c map[string]int) string {
	var parts []string
	for k, v := range c {
		parts = append(parts, fmt.Sprintf("%s x%d", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// summary compares the published detections with the ground truth: a
// detection matches a specimen when its box and the specimen's body box
// (body and wings, as the agent boxes specimens) overlap with IoU >=
// matchIoU, the real frames' scoring. A
// specimen that stays on the sheet must be published once, in the frame where
// it first appeared (first_frame in the ground truth).
func (s *subscriber) summary(gt *truth) {
	s.mu.Lock()
	defer s.mu.Unlock()
	byFrame := map[string][]agent.Detection{}
	for _, d := range s.detections {
		byFrame[d.FrameID] = append(byFrame[d.FrameID], d)
	}
	var nTruth, found, correct int
	for _, f := range gt.Frames {
		ds := byFrame[f.File]
		used := make([]bool, len(ds))
		for _, sp := range f.Specimens {
			if sp.FirstFrame != "" && sp.FirstFrame != f.File {
				continue // already on the sheet: the agent must not publish it again
			}
			nTruth++
			box := sp.BodyBox
			if box == [4]int{} { // ground truth from before body boxes
				box = sp.Box
			}
			best, bestIoU := -1, matchIoU
			for j, d := range ds {
				if v := iou(box, [4]int{d.Box.X0, d.Box.Y0, d.Box.X1, d.Box.Y1}); !used[j] && v >= bestIoU {
					best, bestIoU = j, v
				}
			}
			if best >= 0 {
				used[best] = true
				found++
				if ds[best].Label == sp.Species {
					correct++
				}
			}
		}
	}
	fmt.Println("---- demo summary ----")
	fmt.Printf("frames published: %d of %d; detections: %d; alerts: %d; health messages: %d; unreadable: %d\n",
		len(s.frames), len(gt.Frames), len(s.detections), len(s.alerts), s.health, s.bad)
	fmt.Printf("repeats: %d detections did not match a specimen new in that frame\n", len(s.detections)-found)
	if nTruth > 0 {
		fmt.Printf("specimens in the ground truth: %d; found (IoU >= %.1f): %d (%.0f%%); species correct among found: %d (%.0f%%)\n",
			nTruth, matchIoU, found, 100*float64(found)/float64(nTruth), correct, 100*float64(correct)/float64(max(found, 1)))
	}
}

// matchIoU is the IoU at which a detection finds a specimen.
const matchIoU = 0.3

func iou(a, b [4]int) float64 {
	x0, y0, x1, y1 := max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
	if x1 <= x0 || y1 <= y0 {
		return 0
	}
	inter := float64((x1 - x0) * (y1 - y0))
	area := func(r [4]int) float64 { return float64((r[2] - r[0]) * (r[3] - r[1])) }
	return inter / (area(a) + area(b) - inter)
}
