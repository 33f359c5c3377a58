// Package trainer trains the derived network of a searched genotype,
// evaluates it, compares it against random genotypes and a hand-designed
// CNN, and exports it to an ir float graph inside a model directory
// (docs/CONTRACTS.md).
//
// The derived network is laid out once, as a Plan: an ir graph without
// weights (stem, cells with only the kept op of each edge, global pooling,
// the metadata MLP and the concat fusion MLP of package search) plus the
// list of trainable parameters and of the cell edges drop-path applies to.
// Training interprets the plan with GoMLX, using package search's
// primitives (the spatial-major Feature layout, gather+matmul patches,
// MatMulFast with its hand-written gradient, BatchNorm with running
// statistics); export fills the plan's constants from the trained
// variables. Training and the exported graph therefore cannot drift, and a
// test checks the ir float executor against GoMLX inference.
//
// Layout of a run directory written by Train:
//
//	RUN/train.jsonl   one metrics.EpochLog per epoch
//	RUN/curves.png    training curves
//	RUN/model/        the best epoch (validation macro-F1): graph.json,
//	                  weights.bin, labels.json, metadata_schema.json,
//	                  preprocess.json, genotype.json, train_config.json,
//	                  data_summary.json, version.txt, checkpoint/
//
// EvalModel runs a model directory through the ir executor (pure Go) and
// writes metrics.json, confusion.png and curves.png.
package trainer
