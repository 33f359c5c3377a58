// Package hubtest builds the messages a trap publishes, for the hub's tests,
// benchmarks and screenshots: detections over several nights with crops,
// frame summaries, an alert and a health report.
package hubtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// Labels are the species the fixture's detections cycle over.
var Labels = []string{"Lycorma delicatula", "Musca domestica", "Agrotis ipsilon"}

// PerNight is the number of detections of each night.
const PerNight = 200

// Detection returns detection i of trap: PerNight per night, one a minute
// from 22:00 local solar time at longitude -73.57, labels cycling over
// Labels, scores from 0.5 to 0.99, one in five uncertain.
func Detection(trap string, i int) agent.Detection {
	lat, lon := 45.5, -73.57
	t0 := time.Date(2026, 6, 1, 2, 0, 0, 0, time.UTC)
	at := t0.Add(time.Duration(i%PerNight)*time.Minute + time.Duration(i/PerNight)*24*time.Hour)
	l := Labels[i%len(Labels)]
	return agent.Detection{
		ID: fmt.Sprintf("%s-%s-%06d", trap, at.Format("20060102T150405.000Z"), i), TrapID: trap,
		FrameID: fmt.Sprintf("frame_%04d.jpg", i), CaptureTime: at, LocalDate: at.Format("2006-01-02"),
		Location: agent.Location{Lat: &lat, Lon: &lon, Country: "Canada", Region: "Quebec"},
		Box:      agent.Box{X0: 10, Y0: 10, X1: 50, Y1: 40}, TopK: []agent.Prediction{{Label: l, Score: 0.9}},
		Size:  agent.Size{AreaMM2: 14.2, LengthMM: 6.1, WidthMM: 2.9, AreaPx: 1420, ImageMeasurementValue: 278320, AreaFraction: 0.041, ScaleFactor: 2.7},
		Label: l, Score: 0.5 + float64(i%50)/100, Uncertain: i%50 < 10, ModelVersion: "v1", CropSHA256: "00",
	}
}

// JPEG is a small JPEG of a dark blob on grey, varied by i.
func JPEG(i int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			c := color.RGBA{160, 160, 160, 255}
			if (x-32)*(x-32)+(y-24)*(y-24) < 100+i%50 {
				c = color.RGBA{uint8(40 + i%100), 30, 20, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		panic(err) // encoding to memory does not fail
	}
	return b.Bytes()
}

// Msg is one MQTT message.
type Msg struct {
	Topic   string
	Payload []byte
}

// Fixture is what trap publishes: dets detections (one frame summary per
// ten), the crops of the first crops detections, an alert, a health
// report and the status online, on the agent's default topics.
func Fixture(trap string, dets, crops int) []Msg {
	var out []Msg
	add := func(kind string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err) // plain structs always marshal
		}
		out = append(out, Msg{Topic: "trapnet/" + trap + "/" + kind, Payload: b})
	}
	for i := 0; i < dets; i++ {
		d := Detection(trap, i)
		add("detections", d)
		if i%10 == 0 {
			add("frames", agent.FrameSummary{ID: fmt.Sprintf("%s-f-%d", trap, i), TrapID: trap, FrameID: d.FrameID,
				CaptureTime: d.CaptureTime, Specimens: 10, New: 10})
		}
		if i < crops {
			add("crops", agent.Crop{DetectionID: d.ID, TrapID: trap, JPEG: JPEG(i)})
		}
	}
	at := time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC)
	add("alerts", agent.Alert{ID: trap + "-a-1", TrapID: trap, Rule: "spotted-lanternfly",
		Labels: []string{"Lycorma delicatula"}, Count: 3, MinCount: 3, Time: at})
	add("health", agent.Health{TrapID: trap, Time: at, ModelVersion: "v1",
		Disk: agent.Disk{FreeBytes: 8 << 30, TotalBytes: 32 << 30}})
	out = append(out, Msg{Topic: "trapnet/" + trap + "/status", Payload: []byte("online")})
	return out
}
