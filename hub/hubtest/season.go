package hubtest

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/trapnet/trapnet/agent"
)

// seasonSpecies are the species of Season: name, peak night, spread
// (nights) and peak count.
var seasonSpecies = []struct {
	name         string
	peak, spread float64
	height       float64
}{
	{"Agrotis ipsilon", 12, 6, 22},
	{"Noctua pronuba", 30, 9, 30},
	{"Lycorma delicatula", 42, 5, 14},
	{"Musca domestica", 25, 20, 8},
}

// Season is a trap's season of detections over nights nights from the
// evening of start: each species follows its own flight curve (a bell over
// the nights, with a deterministic wobble), one in eight detections is
// uncertain. For screenshots and demos of the flight-curve page.
func Season(trap string, start time.Time, nights int) []Msg {
	lat, lon := 45.5, -73.57
	var out []Msg
	k := 0
	for n := 0; n < nights; n++ {
		evening := start.AddDate(0, 0, n)
		for si, s := range seasonSpecies {
			x := (float64(n) - s.peak) / s.spread
			c := int(math.Round(s.height * math.Exp(-x*x) * (1 + 0.25*math.Sin(float64(n*(si+3))))))
			for i := 0; i < c; i++ {
				k++
				at := evening.Add(time.Duration(i*7+si*3) * time.Minute)
				d := agent.Detection{
					ID: fmt.Sprintf("%s-%s-%06d", trap, at.Format("20060102T150405.000Z"), k), TrapID: trap,
					FrameID: fmt.Sprintf("frame_%05d.jpg", k), CaptureTime: at, LocalDate: at.Format("2006-01-02"),
					Location: agent.Location{Lat: &lat, Lon: &lon, Country: "Canada", Region: "Quebec"},
					Label:    s.name, Score: 0.55 + 0.4*math.Abs(math.Sin(float64(k))), ModelVersion: "v1",
					TopK: []agent.Prediction{{Label: s.name, Score: 0.9}}, Uncertain: k%8 == 0,
				}
				b, _ := json.Marshal(d) // plain struct: cannot fail
				out = append(out, Msg{Topic: "trapnet/" + trap + "/detections", Payload: b})
			}
		}
	}
	return out
}
