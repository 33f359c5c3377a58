package quantize

import (
	"fmt"
	"math"

	"github.com/trapnet/trapnet/ir"
)

// FloatProbs runs the float graph on a batch and returns class
// probabilities [N,K] (applying a softmax when the graph outputs logits),
// i.e. what the .tflite model's output stands for.
func FloatProbs(g *ir.Graph, inputs ...*ir.Tensor) (*ir.Tensor, error) {
	out, err := g.Run(inputs...)
	if err != nil {
		return nil, err
	}
	y := out[0]
	if g.OutputKind == ir.Probabilities {
		return y, nil
	}
	if len(y.Shape) != 2 {
		return nil, fmt.Errorf("quantize: graph output %v, want [N,K]", y.Shape)
	}
	return ir.SoftmaxRows(y), nil
}

// Comparison accumulates the float and int8 model outputs on the same
// labelled samples.
type Comparison struct {
	// K is the number of classes.
	K int
	// Labels are the true class ids.
	Labels []int32
	// Float and Int8 are the probabilities, row-major [len(Labels), K].
	Float, Int8 []float32
}

// Add appends a batch: labels, and both models' probabilities [N,K].
func (c *Comparison) Add(labels []int32, float, int8 *ir.Tensor) error {
	n := len(labels)
	if len(float.Data) != n*c.K || len(int8.Data) != n*c.K {
		return fmt.Errorf("quantize: compare: %d labels, %d float and %d int8 scores for %d classes", n, len(float.Data), len(int8.Data), c.K)
	}
	c.Labels = append(c.Labels, labels...)
	c.Float = append(c.Float, float.Data...)
	c.Int8 = append(c.Int8, int8.Data...)
	return nil
}

// Agreement is the fraction of samples on which both models' top-1 classes
// agree.
func (c *Comparison) Agreement() float64 {
	if len(c.Labels) == 0 {
		return 0
	}
	same := 0
	for i := range c.Labels {
		if argmax(c.Float[i*c.K:(i+1)*c.K]) == argmax(c.Int8[i*c.K:(i+1)*c.K]) {
			same++
		}
	}
	return float64(same) / float64(len(c.Labels))
}

// MaxProbDiff is the largest absolute difference between the two models'
// probabilities over all samples and classes.
func (c *Comparison) MaxProbDiff() float64 {
	var d float64
	for i, v := range c.Float {
		d = math.Max(d, math.Abs(float64(v-c.Int8[i])))
	}
	return d
}

func argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}
