// Package search implements BioAutoML-NAS: a DARTS-style differentiable
// architecture search over a cell space for the image, jointly with a
// metadata branch and a fusion head, on GoMLX.
//
// # Layout and op formulation
//
// Feature maps are spatial-major: a Feature holds X of shape [H*W, N, C]
// (FromNHWC / ToNHWC convert). Every spatial op is a Gather of patches from a
// constant index table (TensorFlow SAME padding, an extra padding row)
// followed by a matmul (MatMulFast, whose gradient is two plain matmuls), a
// multiply-and-sum (Depthwise) or a ReduceMax (MaxPoolSame). Batch norm
// (BatchNorm) is written from elementwise ops with running mean/var for
// inference (ctx.IsTraining selects batch statistics). This is the form the
// pure-Go backend can differentiate and that runs fast on XLA.
//
// # Reusable builders (for derived nets)
//
//   - Ops map[string]OpBuilder: zero, skip_connect, avg_pool_3x3,
//     max_pool_3x3, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5,
//     conv_1x1, squeeze_excite; OpNames gives the canonical order.
//     Conv ops are ReLU-conv-BN as in DARTS; on reduction edges (stride 2)
//     skip_connect is FactorizedReduce, dilated convs read the stride-2
//     dilated SAME windows directly from the index table (equal to
//     TensorFlow's DEPTHWISE_CONV_2D with stride 2 and dilation 2), and
//     squeeze_excite is preceded by a FactorizedReduce.
//   - Stem, Preprocess, BuildCell (discrete, from a CellSpec),
//     BuildMixedCell (supernet), Backbone, MetadataBranch, Fusion, Head,
//     Supernet and DerivedNet.
//   - Genotype (JSON with normal, normal_concat, reduce, reduce_concat; edges
//     as {op, input, node}; DARTS's [["op", input], ...] is accepted on
//     input), Validate, LoadGenotype, Save.
//
// # Variables
//
// Weights live under ctx.In("net"); the architecture parameters alpha
// (AlphaVars: "normal" and "reduce", one row per edge in DARTS order, one
// column per op) under the absolute scope ArchScope; optimiser state under
// "/opt_w" and "/opt_a". BN running statistics are non-trainable.
//
// # Search
//
// Architect owns the two optimisers of the bi-level update (Adam on alpha
// over a validation batch, SGD with momentum, cosine lr, clipping on the
// weights over a training batch), first order by default or the unrolled
// second-order approximation with a finite-difference Hessian-vector
// product. Derive turns alphas into a sparse Genotype.
package search
