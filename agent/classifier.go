// Package agent is the trap-side pipeline: a frame source feeds a specimen
// finder (detection, crops, sizes, tracking), each new specimen's crop and
// metadata are classified, results are committed to the outbox and
// published over MQTT, and alert rules fire on sliding-window counts.
//
// The pieces meet through small interfaces (Finder, Classifier) so the
// pipeline is tested with fakes and runs with detect and the tflite model.
package agent

import (
	"image"
	"sort"
	"sync/atomic"

	"github.com/trapnet/trapnet/metadata"
)

// Prediction is one label and its probability.
type Prediction struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// Classifier scores one specimen crop with its metadata.
type Classifier interface {
	// Classify returns the probability of every label (any order).
	Classify(crop image.Image, meta metadata.Row) ([]Prediction, error)
	// Version is the model version string.
	Version() string
}

// TopK returns the k highest-scoring predictions, best first (ties by label).
func TopK(p []Prediction, k int) []Prediction {
	s := append([]Prediction(nil), p...)
	sort.Slice(s, func(i, j int) bool {
		if s[i].Score != s[j].Score {
			return s[i].Score > s[j].Score
		}
		return s[i].Label < s[j].Label
	})
	if k > 0 && len(s) > k {
		s = s[:k]
	}
	return s
}

// SwapClassifier holds the active classifier and lets a model update
// replace it atomically while the pipeline runs.
type SwapClassifier struct {
	cur atomic.Pointer[Classifier]
}

// NewSwapClassifier starts with c.
func NewSwapClassifier(c Classifier) *SwapClassifier {
	s := &SwapClassifier{}
	s.Swap(c)
	return s
}

// Swap installs c and returns the previous classifier (nil if none).
func (s *SwapClassifier) Swap(c Classifier) Classifier {
	old := s.cur.Swap(&c)
	if old == nil {
		return nil
	}
	return *old
}

// Current returns the active classifier.
func (s *SwapClassifier) Current() Classifier { return *s.cur.Load() }

// Classify delegates to the active classifier.
func (s *SwapClassifier) Classify(crop image.Image, meta metadata.Row) ([]Prediction, error) {
	return s.Current().Classify(crop, meta)
}

// Version of the active classifier.
func (s *SwapClassifier) Version() string { return s.Current().Version() }
