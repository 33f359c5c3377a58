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
// Depthwise convolutions (DepthwiseWith) and max pooling carry hand-written
// gradients that gather the patches again in the backward pass, so the
// k*k-times patch tensors are not held from the forward pass to the
// backward one. Binary ops broadcast implicitly. Both suit the pure-Go
// engine in third_party/gomlx (GoMLX v0.26 with trapnet's kernels; see
// TRAPNET.md there and bench/search/README.md for the measurements).
//
// # The op registry and the derived net
//
//   - Registry is the one list of candidate ops, in the canonical order of
//     the alpha columns: zero, skip_connect, avg_pool_3x3, max_pool_3x3,
//     sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5, conv_1x1,
//     squeeze_excite. Each OpSpec has the supernet's GoMLX builder and the
//     kind, kernel and dilation from which package trainer lays out the
//     derived net; OpNames and Ops are views of it, DerivedOps drops zero.
//     Conv ops are ReLU-conv-BN as in DARTS; on reduction edges (stride 2)
//     skip_connect is FactorizedReduce, dilated convs read the stride-2
//     dilated SAME windows directly from the index table (equal to
//     TensorFlow's DEPTHWISE_CONV_2D with stride 2 and dilation 2), and
//     squeeze_excite is preceded by a FactorizedReduce.
//   - IsReduction is the one reduction rule (cells L/3 and 2L/3 when L >= 3,
//     none below), used by the supernet and by trainer's derived net.
//   - Genotype (JSON with normal, normal_concat, reduce, reduce_concat; edges
//     as {op, input, node}; DARTS's [["op", input], ...] is accepted on
//     input), Cells/CellSpec (the cell types trainer builds from), Validate,
//     LoadGenotype, Save.
//   - Stem, Preprocess, BuildMixedCell, Backbone, MetadataBranch, Fusion,
//     Head and Supernet build the search network. The derived network has
//     one definition, trainer.Plan; RunConfig.Params lets the command record
//     its parameter count in genotype.json.
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
// Architect owns the two optimisers of the bi-level update: per Step, one
// Adam step on alpha (lr 3e-4, betas 0.5/0.999, weight decay 1e-3) over a
// search-val batch, then one SGD step on the weights (momentum 0.9, weight
// decay 3e-4, global-norm clip 5, cosine lr 0.025 -> 0.001 per step) over a
// search-train batch; the loss is class-weighted cross-entropy. First order
// by default; OptConfig.SecondOrder does DARTS's unrolled step: the alpha
// gradient is taken at w' = w - ξ(momentum·buf + ∇w L_train + wd·w) and
// corrected by -ξ·(∇α L_train(w+) - ∇α L_train(w-))/(2ε) with
// w± = w ± ε∇w' L_val, ε = 0.01/‖∇w' L_val‖. All of it is one GoMLX graph
// (weights substituted with Variable.SetValueGraph, BN running statistics
// frozen in the hypothetical passes); measured at 16x16, C=8, batch 16: 2.6x the CPU time and 1.7x the peak memory
// of a first-order step.
//
// Run drives a search over two Sources with package loopkit's pieces,
// writing search.jsonl (typed records, log.go: the schedule, one line per
// step and per epoch with losses, accuracies, alpha entropies, lr,
// images/s, and alpha snapshots), checkpoints (GoMLX checkpoints +
// search_state.json; cancelling the context saves and returns
// ErrInterrupted; RunConfig.Resume continues — the step count and data
// order of the search-train split are restored exactly, the search-val
// stream restarts its epoch), genotype.json, alphas.png (final softmax per
// edge and op), genotype.png (the derived cells as graphs) and
// alpha_trajectories.png.
//
// RunConfig.Schedule (ArchSchedule) makes the alphas learn at any run
// length: weight-only warm-up for the first 25% of the steps, then the
// alpha learning rate max(3e-4, 6 / architecture steps) (DARTS's total
// movement of ~6 logits, whatever the number of steps), and an early stop
// only after warm-up, when the derived genotype has not changed for
// StopPatience epochs and is decided. Measured at the demo's budget (90 pair
// steps, 16x16, C=4): median top softmax weight 0.102 before (uniform is
// 0.100), 0.32 with the schedule. search.jsonl logs the schedule, every step
// (arch_step false during warm-up) and the alpha softmax every total/200
// steps (kind "alphas").
//
// DeriveOptions.SkipCap (default 2) guards against skip-connect collapse:
// it caps skip_connect edges in the derived normal cell, replacing the
// weakest extra ones by their next-best op.
//
// Derive discretises alphas into a sparse Genotype: per node at most TopK
// incoming edges ranked by their strongest non-zero op, dropping any edge
// whose zero weight beats that op (Edge.Dropped says why an edge went:
// zero, top_k or dead_input), then removing nodes left without input;
// Genotype.Sparsity is edges kept / supernet edges, VsTop2 edges kept /
// DARTS's fixed 2 per node, ZeroPruned the edges the zero op removed. Each
// kept edge records its Margin (top-1 minus top-2 softmax weight); Run adds
// the Decision (median top weight and margin, decided or not; Summary
// prints a warning when not) and the SearchSettings.
//
// # Engines
//
// NewBackend picks the pure-Go engine ("go:parallelism=-1") unless a PJRT
// plugin is configured and the binary was built with -tags xla:
//
//	CGO_ENABLED=1 go build -tags xla -o trainer-xla ./cmd/trainer
//	./trainer-xla search --pjrt-plugin /abs/xla_cuda_plugin.so ...
//
// Plugins are never downloaded (GoMLX's auto-install is turned off), and
// GOPJRT_CUDA_CHECKS defaults to 0 (see NewBackend).
package search
