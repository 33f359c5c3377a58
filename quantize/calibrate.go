package quantize

import (
	"fmt"
	"math"

	"github.com/trapnet/trapnet/ir"
)

// Method selects how activation ranges are derived from calibration data.
type Method string

// Calibration methods.
const (
	// MinMax: the running minimum and maximum over all calibration batches.
	MinMax Method = "minmax"
	// Percentile: the Calibrator.Percentile and 100-Percentile percentiles of
	// all observed values (from a histogram), which ignores rare outliers.
	Percentile Method = "percentile"
)

// DefaultPercentile is the upper percentile the Percentile method uses.
const DefaultPercentile = 99.99

// histBins is the number of histogram bins (a multiple of 4 so that the
// range can double by merging bin pairs).
const histBins = 4096

// Range is a closed real interval [Min, Max].
type Range struct {
	Min float32 `json:"min"`
	Max float32 `json:"max"`
}

// stat accumulates the values of one tensor.
type stat struct {
	lo, hi float32
	// Symmetric histogram over [-r, r): bin i covers r*(2i/histBins - 1).
	r    float64
	bins []int64
	n    int64
}

func (s *stat) add(data []float32, hist bool) {
	if len(data) == 0 {
		return
	}
	if s.n == 0 {
		s.lo, s.hi = data[0], data[0]
	}
	for _, v := range data {
		s.lo, s.hi = min(s.lo, v), max(s.hi, v)
	}
	s.n += int64(len(data))
	if !hist {
		return
	}
	m := math.Max(math.Abs(float64(s.lo)), math.Abs(float64(s.hi)))
	if s.bins == nil {
		s.bins = make([]int64, histBins)
		s.r = math.Pow(2, math.Ceil(math.Log2(math.Max(m, 1e-6))))
	}
	for s.r < m {
		s.grow()
	}
	w := 2 * s.r / histBins
	for _, v := range data {
		i := int((float64(v) + s.r) / w)
		s.bins[min(max(i, 0), histBins-1)]++
	}
}

// grow doubles the histogram range, merging pairs of bins.
func (s *stat) grow() {
	nb := make([]int64, histBins)
	for i, c := range s.bins {
		nb[histBins/4+i/2] += c
	}
	s.bins, s.r = nb, 2*s.r
}

// quantile returns the value below which a fraction q of observations lie.
func (s *stat) quantile(q float64) float32 {
	target := q * float64(s.n)
	w := 2 * s.r / histBins
	var acc float64
	for i, c := range s.bins {
		if c > 0 && acc+float64(c) >= target {
			frac := (target - acc) / float64(c)
			return float32(-s.r + (float64(i)+frac)*w)
		}
		acc += float64(c)
	}
	return s.hi
}

// Calibrator runs the float graph on calibration batches and records the
// range of every graph input and node output.
type Calibrator struct {
	g      *ir.Graph
	method Method
	// Percentile is the upper percentile for the Percentile method (default
	// DefaultPercentile); the lower one is 100-Percentile.
	Percentile float64
	stats      map[string]*stat
	batches    int
}

// NewCalibrator prepares calibration of g (normally the output of
// FoldBatchNorm, so that the recorded tensors are those Build quantises).
func NewCalibrator(g *ir.Graph, m Method) (*Calibrator, error) {
	if m != MinMax && m != Percentile {
		return nil, fmt.Errorf("quantize: calibration method %q, want %q or %q", m, MinMax, Percentile)
	}
	return &Calibrator{g: g, method: m, Percentile: DefaultPercentile, stats: map[string]*stat{}}, nil
}

func (c *Calibrator) observe(name string, data []float32) {
	s := c.stats[name]
	if s == nil {
		s = &stat{}
		c.stats[name] = s
	}
	s.add(data, c.method == Percentile)
}

// Observe runs one batch (inputs in the order of the graph's Inputs) and
// accumulates the ranges. It returns the graph outputs.
func (c *Calibrator) Observe(inputs ...*ir.Tensor) ([]*ir.Tensor, error) {
	out, err := c.g.RunWith(func(n *ir.Node, t *ir.Tensor) { c.observe(n.Output, t.Data) }, inputs...)
	if err != nil {
		return nil, err
	}
	for i, in := range c.g.Inputs {
		c.observe(in.Name, inputs[i].Data)
	}
	c.batches++
	return out, nil
}

// Batches is the number of batches observed.
func (c *Calibrator) Batches() int { return c.batches }

// Ranges returns the calibrated range of every observed tensor. Ranges are
// not yet widened to include 0 (FromRange does that).
func (c *Calibrator) Ranges() (map[string]Range, error) {
	if c.batches == 0 {
		return nil, fmt.Errorf("quantize: no calibration batches observed")
	}
	out := make(map[string]Range, len(c.stats))
	for name, s := range c.stats {
		r := Range{Min: s.lo, Max: s.hi}
		if c.method == Percentile {
			p := c.Percentile / 100
			r.Min = max(s.lo, s.quantile(1-p))
			r.Max = min(s.hi, s.quantile(p))
		}
		out[name] = r
	}
	return out, nil
}
