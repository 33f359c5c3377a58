package model

import (
	"fmt"
	"image"
	"slices"

	"github.com/trapnet/trapnet/detect"
)

// RejectLabel is the class of a verifier model whose probability says
// "no insect" (bench/verifier trains one with classes insect and junk).
const RejectLabel = "junk"

// Verifier is a detect.Verifier backed by a model with a RejectLabel class.
type Verifier struct {
	m   *Model
	idx int
}

// NewVerifier wraps m as a detect.Verifier; m must have a RejectLabel
// class and at least one other.
func NewVerifier(m *Model) (*Verifier, error) {
	idx := slices.Index(m.labels, RejectLabel)
	if idx < 0 || len(m.labels) < 2 {
		return nil, fmt.Errorf("model: a verifier needs a %q class and another, this model has %v", RejectLabel, m.labels)
	}
	return &Verifier{m: m, idx: idx}, nil
}

// NotInsect implements detect.Verifier: the probability of RejectLabel.
func (v *Verifier) NotInsect(crop image.Image) (float64, error) {
	p, err := v.m.Classify(crop, nil)
	if err != nil {
		return 0, err
	}
	return p[v.idx].Score, nil
}

var _ detect.Verifier = (*Verifier)(nil)

// LoadVerifier loads a verifier .tflite (the agent's model.verifier),
// self-tests it and wraps it with NewVerifier.
func LoadVerifier(path string) (*Verifier, error) {
	m, err := Load(path)
	if err != nil {
		return nil, err
	}
	if err := m.SelfTest(); err != nil {
		return nil, err
	}
	return NewVerifier(m)
}
