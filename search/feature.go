package search

import (
	"fmt"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// Feature is a feature map in the spatial-major layout used by every op of
// this package: X has shape [H*W, N, C] (row-major over H then W), so a
// spatial op is a Gather of patches along axis 0 followed by a matmul, a
// multiply-and-sum or a ReduceMax. Convert from and to NHWC with FromNHWC and
// ToNHWC.
type Feature struct {
	// X is the [H*W, N, C] tensor.
	X *Node
	// H and W are the spatial sizes.
	H, W int
	memo *featMemo
}

// featMemo caches, per feature map, the ReLU and the gathered patches so that
// the edges leaving one state share them (the gradient sums naturally).
type featMemo struct {
	relu    *Node
	sources map[srcKey]*Node
	patches map[patchKey]*Node
}

type srcKey struct {
	relu bool
	pad  float32
}

type patchKey struct {
	relu           bool
	k, dil, stride int
	pad            float32
}

// NewFeature wraps x ([H*W, N, C]) as a Feature.
func NewFeature(x *Node, h, w int) Feature {
	if x.Rank() != 3 || x.Shape().Dimensions[0] != h*w {
		panic(fmt.Sprintf("search: feature shape %s does not match H=%d W=%d", x.Shape(), h, w))
	}
	return Feature{X: x, H: h, W: w, memo: &featMemo{sources: map[srcKey]*Node{}, patches: map[patchKey]*Node{}}}
}

// FromNHWC converts an NHWC image batch to a Feature.
func FromNHWC(x *Node) Feature {
	d := x.Shape().Dimensions
	n, h, w, c := d[0], d[1], d[2], d[3]
	t := TransposeAllAxes(x, 1, 2, 0, 3) // [H, W, N, C]
	return NewFeature(Reshape(t, h*w, n, c), h, w)
}

// ToNHWC converts a Feature back to NHWC.
func (f Feature) ToNHWC() *Node {
	t := Reshape(f.X, f.H, f.W, f.N(), f.C())
	return TransposeAllAxes(t, 2, 0, 1, 3)
}

// N is the batch size.
func (f Feature) N() int { return f.X.Shape().Dimensions[1] }

// C is the number of channels.
func (f Feature) C() int { return f.X.Shape().Dimensions[2] }

// With returns a new Feature of the same spatial size holding x.
func (f Feature) With(x *Node) Feature { return NewFeature(x, f.H, f.W) }

// Relu returns ReLU(X), computed once per feature map.
func (f Feature) Relu() *Node {
	if f.memo == nil {
		return relu(f.X)
	}
	if f.memo.relu == nil {
		f.memo.relu = relu(f.X)
	}
	return f.memo.relu
}

func relu(x *Node) *Node { return Max(x, ZerosLike(x)) }

// OutSize is TensorFlow SAME output size: ceil(n/stride).
func OutSize(n, stride int) int { return (n + stride - 1) / stride }

// samePadBefore is the SAME padding before the first element.
func samePadBefore(n, k, dil, stride int) int {
	out := OutSize(n, stride)
	total := (out-1)*stride + (k-1)*dil + 1 - n
	if total < 0 {
		total = 0
	}
	return total / 2
}

// PatchIndex returns the gather table of a k x k window with dilation dil and
// stride under SAME padding over an h x w map: shape [Ho*Wo, k*k, 1], where
// index h*w designates the padding row. It also returns, per output position,
// the number of valid (non-padding) taps.
func PatchIndex(h, w, k, dil, stride int) (idx []int32, valid []int, ho, wo int) {
	ho, wo = OutSize(h, stride), OutSize(w, stride)
	pt, pl := samePadBefore(h, k, dil, stride), samePadBefore(w, k, dil, stride)
	idx = make([]int32, 0, ho*wo*k*k)
	valid = make([]int, ho*wo)
	for oy := 0; oy < ho; oy++ {
		for ox := 0; ox < wo; ox++ {
			for ky := 0; ky < k; ky++ {
				for kx := 0; kx < k; kx++ {
					iy, ix := oy*stride-pt+ky*dil, ox*stride-pl+kx*dil
					if iy < 0 || iy >= h || ix < 0 || ix >= w {
						idx = append(idx, int32(h*w))
						continue
					}
					idx = append(idx, int32(iy*w+ix))
					valid[oy*wo+ox]++
				}
			}
		}
	}
	return idx, valid, ho, wo
}

// Patches gathers k x k windows (dilation dil, stride, SAME padding with value
// pad) of X, or of ReLU(X) when useRelu: the result has shape
// [Ho*Wo, k*k, N, C]. Results are cached per feature map.
func (f Feature) Patches(useRelu bool, k, dil, stride int, pad float32) (*Node, int, int) {
	key := patchKey{useRelu, k, dil, stride, pad}
	ho, wo := OutSize(f.H, stride), OutSize(f.W, stride)
	if f.memo != nil {
		if p, ok := f.memo.patches[key]; ok {
			return p, ho, wo
		}
	}
	p := Gather(f.PatchSource(useRelu, pad), f.PatchTable(k, dil, stride))
	if f.memo != nil {
		f.memo.patches[key] = p
	}
	return p, ho, wo
}

// PatchSource returns the rows that Patches gathers from: X (or ReLU(X) when
// useRelu) followed by one padding row of value pad, shape [H*W+1, N, C].
// It is cached per feature map.
func (f Feature) PatchSource(useRelu bool, pad float32) *Node {
	key := srcKey{useRelu, pad}
	if f.memo != nil {
		if s, ok := f.memo.sources[key]; ok {
			return s
		}
	}
	x := f.X
	if useRelu {
		x = f.Relu()
	}
	padRow := Add(zeroRow(x), Scalar(x.Graph(), x.DType(), pad))
	src := Concatenate([]*Node{x, padRow}, 0)
	if f.memo != nil {
		f.memo.sources[key] = src
	}
	return src
}

// PatchTable is the constant gather table of PatchIndex for this map,
// shape [Ho*Wo, k*k, 1].
func (f Feature) PatchTable(k, dil, stride int) *Node {
	idx, _, ho, wo := PatchIndex(f.H, f.W, k, dil, stride)
	return ConstCachedTensor(f.X.Graph(), tensors.FromFlatDataAndDimensions(idx, ho*wo, k*k, 1))
}

// zeroRow returns a [1, N, C] zero node shaped like one row of x, built
// without Slice (whose gradient the pure-Go backend lacks).
func zeroRow(x *Node) *Node {
	d := x.Shape().Dimensions
	return Zeros(x.Graph(), shapes.Make(x.DType(), 1, d[1], d[2]))
}

// validCounts returns 1/valid-count per output position as [Ho*Wo, 1, 1].
func validCounts(g *Graph, h, w, k, stride int) *Node {
	_, valid, ho, wo := PatchIndex(h, w, k, 1, stride)
	inv := make([]float32, ho*wo)
	for i, v := range valid {
		inv[i] = 1 / float32(v)
	}
	return ConstCachedTensor(g, tensors.FromFlatDataAndDimensions(inv, ho*wo, 1, 1))
}
