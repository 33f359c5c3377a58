package ir

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode checks that no graph.json / weights.bin content makes Decode
// (and running a graph it accepts) panic.
func FuzzDecode(f *testing.F) {
	dir := f.TempDir()
	if err := Save(testGraph(&testing.T{}), dir); err != nil {
		f.Fatal(err)
	}
	js, _ := os.ReadFile(filepath.Join(dir, GraphFile))
	wb, _ := os.ReadFile(filepath.Join(dir, WeightsFile))
	f.Add(js, wb)
	f.Add([]byte(`{"format":1,"inputs":[{"name":"x","shape":[1,2,2,3]}],"outputs":["y"],"output_kind":"logits","nodes":[{"op":"reshape","inputs":["x"],"output":"y","attrs":{"shape":[1,-1]}}]}`), []byte{})
	f.Fuzz(func(t *testing.T, graphJSON, weights []byte) {
		g, err := Decode(graphJSON, weights)
		if err != nil {
			return
		}
		ins := make([]*Tensor, len(g.Inputs))
		for i, in := range g.Inputs {
			if numElements(in.Shape) > 1<<16 {
				return
			}
			ins[i] = NewTensor(in.Shape...)
		}
		_, _ = g.Run(ins...)
	})
}
