package agent

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/trapnet/trapnet/agent/config"
)

func TestMatches(t *testing.T) {
	cases := []struct {
		label string
		want  []string
		ok    bool
	}{
		{"Drosophila melanogaster", []string{"Drosophila"}, true},
		{"drosophila suzukii", []string{"Drosophila"}, true},
		{"Drosophilidae", []string{"Drosophila"}, false},
		{"Lycorma delicatula", []string{"Lycorma delicatula"}, true},
		{"Lycorma meliae", []string{"Lycorma delicatula"}, false},
		{"", []string{""}, false},
	}
	for _, c := range cases {
		if got := Matches(c.label, c.want); got != c.ok {
			t.Errorf("Matches(%q, %v) = %v, want %v", c.label, c.want, got, c.ok)
		}
	}
}

func TestAlertWindow(t *testing.T) {
	rule := config.Alert{Name: "flies", Labels: []string{"Drosophila"}, MinCount: 3, Window: time.Hour, MinConfidence: 0.6}
	t0 := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	det := func(min int, label string, score float64) Detection {
		return Detection{ID: fmt.Sprint(min), Label: label, Score: score, CaptureTime: t0.Add(time.Duration(min) * time.Minute)}
	}
	cases := []struct {
		name  string
		dets  []Detection
		fires []int // indices of detections that fire
	}{
		{"three within the window", []Detection{det(0, "Drosophila a", .9), det(10, "Drosophila b", .9), det(20, "Drosophila a", .9)}, []int{2}},
		{"spread beyond the window", []Detection{det(0, "Drosophila a", .9), det(40, "Drosophila a", .9), det(70, "Drosophila a", .9)}, nil},
		{"low confidence ignored", []Detection{det(0, "Drosophila a", .9), det(1, "Drosophila a", .5), det(2, "Drosophila a", .9)}, nil},
		{"same id twice counts once", []Detection{det(0, "Drosophila a", .9), det(1, "Drosophila a", .9), {ID: "1", Label: "Drosophila a", Score: .9, CaptureTime: t0.Add(2 * time.Minute)}}, nil},
		{"other species ignored", []Detection{det(0, "Drosophila a", .9), det(1, "Musca domestica", .99), det(2, "Drosophila a", .9)}, nil},
		{"quiet for one window, then again", []Detection{det(0, "Drosophila a", .9), det(1, "Drosophila a", .9), det(2, "Drosophila a", .9), det(3, "Drosophila a", .9), det(63, "Drosophila a", .9), det(64, "Drosophila a", .9), det(65, "Drosophila a", .9)}, []int{2, 6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := NewAlerts("t1", []config.Alert{rule})
			var fired []int
			for i, d := range c.dets {
				for _, al := range a.Observe(d) {
					fired = append(fired, i)
					if al.Count < rule.MinCount || al.Rule != "flies" || len(al.DetectionIDs) != al.Count {
						t.Fatalf("bad alert %+v", al)
					}
				}
			}
			if fmt.Sprint(fired) != fmt.Sprint(c.fires) {
				t.Fatalf("fired at %v, want %v", fired, c.fires)
			}
		})
	}
}

func TestAlertStateSurvivesRestart(t *testing.T) {
	rule := config.Alert{Name: "flies", Labels: []string{"Drosophila"}, MinCount: 2, Window: time.Hour, MinConfidence: 0.5}
	path := filepath.Join(t.TempDir(), "alerts.json")
	t0 := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	a := NewAlerts("t1", []config.Alert{rule})
	a.Observe(Detection{ID: "d1", Label: "Drosophila a", Score: .9, CaptureTime: t0})
	if err := a.Save(path); err != nil {
		t.Fatal(err)
	}
	b := NewAlerts("t1", []config.Alert{rule}) // the agent restarted
	if err := b.Load(path); err != nil {
		t.Fatal(err)
	}
	if got := b.Observe(Detection{ID: "d2", Label: "Drosophila a", Score: .9, CaptureTime: t0.Add(time.Minute)}); len(got) != 1 || got[0].DetectionIDs[0] != "d1" {
		t.Fatalf("after restart: %+v", got)
	}
	if err := NewAlerts("t1", nil).Load(filepath.Join(t.TempDir(), "none.json")); err != nil {
		t.Fatalf("missing state file: %v", err)
	}
	os.WriteFile(path, []byte("{broken"), 0o644)
	if err := b.Load(path); err == nil {
		t.Fatal("corrupt state file not reported")
	}
}
