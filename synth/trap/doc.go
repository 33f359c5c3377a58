// Package trap draws synthetic trap frames for tests and demos: full
// photographs of a light-trap sheet or sticky card with specimens of a
// synth.Catalog's species at known boxes, and their ground truth
// (frames/ground_truth.json next to a synth dataset).
//
// # Frames
//
// Generate draws non-overlapping specimens (synth/insect) of catalog
// species at known boxes on a white sheet or a yellow sticky card with uneven light,
// debris, blur and noise; specimen length in pixels is length_mm times
// Options.PixelsPerMM. By default the frames are one trap session,
// what a trap camera sees: one site of one region (Options.Region,
// or by default a Seed-chosen region home to several seen species), one
// background and camera, a frame every FrameInterval from dusk on a night
// of the region's flight season, and specimens that accumulate: each
// frame shows every specimen of the previous one at the same pixels (the
// sheet is drawn once; exposure changes by at most 1.5 % and noise is
// drawn anew per frame) plus NewMin..NewMax new ones, fewer once the sheet
// is full. Ground truth gives every specimen a run-wide ID ("s0001") and
// the frame where it first appeared, and every frame the number of new
// specimens, so a tracker can be checked to publish each specimen once.
// With Options.Independent every frame is an independent capture at
// a random region (the behaviour before synth/7). Either way specimens
// prefer the region's species (70 %), consistent with the dataset's
// metadata.
//
// # Re-running into a directory
//
// Generate refuses to write over the frames of an earlier run (stale
// frames of a longer run would otherwise remain next to the new ones)
// unless Options.Overwrite is set (trainer synth --force). It then
// deletes only frames/frame_NNNN.jpg and frames/ground_truth.json, and
// only when that ground_truth.json shows synth wrote them. Other files
// are left alone.
//
// # Determinism
//
// Every frame draws from random streams derived from Options.Seed and its
// index, so the output bytes depend only on the options, not on the
// number of workers. Bytes may differ across Go versions or CPU
// architectures (floating point fusing, JPEG encoder changes).
package trap
