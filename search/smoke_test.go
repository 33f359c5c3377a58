package search

import (
	"testing"

	"github.com/gomlx/gomlx/backends"
	_ "github.com/gomlx/gomlx/backends/simplego"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

func TestSmokeSupernet(t *testing.T) {
	b, err := backends.NewWithConfig("go:parallelism=-1")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.New()
	cfg := NetConfig{Classes: 3, MetaDim: 2, Channels: 4, Cells: 3, Nodes: 2}
	exec, err := context.NewExec(b, ctx, func(ctx *context.Context, img, meta *Node) []*Node {
		ctx.SetTraining(img.Graph(), true)
		logits, err := Supernet(ctx, cfg, img, meta)
		if err != nil {
			panic(err)
		}
		loss := ReduceAllMean(Square(logits))
		an, _ := AlphaVars(ctx, 2, len(OpNames))
		grads := ctx.BuildTrainableVariablesGradientsGraph(loss)
		_ = an
		return append([]*Node{loss}, grads[0])
	})
	if err != nil {
		t.Fatal(err)
	}
	img := tensors.FromFlatDataAndDimensions(make([]float32, 4*8*8*3), 4, 8, 8, 3)
	meta := tensors.FromFlatDataAndDimensions(make([]float32, 4*2), 4, 2)
	out, err := exec.Exec(img, meta)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out[0], ctx.NumParameters())
}
