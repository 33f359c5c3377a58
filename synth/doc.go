// Package synth makes synthetic insect data for tests and demos, since
// BIOSCAN-5M itself cannot be downloaded here: the synthetic world
// (NewCatalog: taxonomy, look-alike groups, regions, sizes) and a dataset
// of procedurally drawn insects in the exact BIOSCAN-5M layout (Generate).
// Its subpackages draw the rest: synth/trap full trap frames with ground
// truth from a Catalog, synth/insect the specimens themselves and
// synth/raster the generic anti-aliased drawing under both.
//
// # Dataset layout
//
// Generate writes, under Options.Dir:
//
//	BIOSCAN_5M_Insect_Dataset_metadata.csv   the 23 published columns (dataset.BIOSCANColumns)
//	images/cropped_256/<split>/[<chunk>/]<processid>.jpg
//	synth_info.json                          ground truth (Info)
//
// Conventions checked against the bioscan-dataset Python package
// (bioscan-ml/dataset, bioscan5m.py): the column names and order, the split
// names (dataset.Splits), the image path rule (chunk folder only when chunk is not
// empty), and the chunk rule: the first two hex digits of md5(processid)
// for pretrain, the first one for train and other_heldout, none for val,
// test and the unseen splits (Chunk; verified on the file names that
// package lists). The species column holds the binomial "Genus epithet";
// taxon is the most specific rank present. cropped_256 images are resized
// to 256 pixels on their shorter side (BIOSCAN-5M project notes), so by
// default images are Size on the short side and up to 4:3 on the long one;
// Options.Square gives Size x Size images instead.
//
// Not confirmed, so chosen plausibly: the processid shape (BOLD-like
// "<project><number>-<yy>", e.g. SYCON1005-21; sampleid "BIOUG12345-A01"),
// the meaning of inferred_ranks (here 0 for most rows, 1-2 for a few),
// index_bioscan_1M_insect (an integer for about 20 % of rows, else empty),
// and the original image size and magnification behind the size columns
// (OrigWidth x OrigHeight at OrigPixelsPerMM). With that model
// image_measurement_value is the specimen's silhouette area in original
// pixels, area_fraction the crop's share of the original image, and
// scale_factor the crop's short side over 256; the drawn specimen in the
// cropped image has length length_mm*OrigPixelsPerMM/scale_factor*(Size/256)
// pixels, so it always fills the crop similarly: as in the real data, the
// image alone does not reveal absolute size, the metadata do.
//
// # Backgrounds: dataset crops versus trap frames
//
// Dataset images keep BIOSCAN-5M's light-grey plate background, because
// real BIOSCAN-5M crops have it and a model trained on the real data sees
// nothing else; drawing sheets or sticky cards into the dataset would make
// the synthetic data easier than the real problem. Trap frames
// (synth/trap) show white sheets and yellow sticky cards as real traps do.
// Closing that gap is the trap's job: package detect frames crops like
// BIOSCAN-5M's and repaints the trap background grey before the model sees
// them (measurements in detect). A trainer that augments backgrounds would
// make models more robust still.
//
// # Species, look-alikes and metadata signal
//
// NewCatalog builds a taxonomy (phylum Arthropoda, class Insecta, real order
// names whose body plans synth/insect imitates: flies, wasps, beetles, bugs,
// moths; invented Latin-like families, subfamilies, genera and species).
// Species come in look-alike groups of one to three congeneric species
// whose appearance parameters differ by at most 0.6 % in proportions and
// 2 colour levels, well below the per-image pose, lighting, blur
// and noise variation, so a small CNN cannot tell them apart. Every group
// has a Mode saying how metadata separate its members:
//
//   - ModeRegion: same size, different home regions (country,
//     province_state and coordinates clustered around a few sites);
//   - ModeSize: same region, body lengths differing by factors of 1.75
//     (image_measurement_value differs about 3x);
//   - ModeRegionSize (triples): two members differ in size, the third in
//     region.
//
// Sizes come in three classes of silhouette area (mean 1, 3.1 and 9.4 mm²,
// so lengths of about 1.5, 2.6 and 4.6 mm; 6 % species and 20 % specimen
// variation in area); the class fixes the area, not the length, so shape
// differences between groups do not leak into image_measurement_value. Most groups anchor on the region and size class of a species
// of an earlier group, regions are shared by many species and 15 % of rows
// are strays from a random region, so metadata alone confuse species of
// different groups; images separate groups, metadata separate the members
// of a group: only fusion solves the task. Species of one genus share
// proportions and often colours and differ in patterns and texture;
// orders differ in body plan.
//
// Labelled species frequencies decay geometrically from the most to the
// least frequent with ratio Options.Imbalance. Each labelled species has
// about 70/15/15 % train/val/test rows (at least one val and one test row).
// About 4 % of rows are pretrain rows (species blank; some also genus or
// genus to family blank), about 6 % belong to unseen species split over
// key_unseen/val_unseen/test_unseen, and about 1 % are other_heldout rows
// (unseen species, species blank). A few rows lack coordinates (2 %) or
// province (3 %).
//
// # Determinism
//
// Every row draws from its own random stream derived from the seed
// and its index, so the output bytes depend only on the options, not on the
// number of workers. Bytes may differ across Go versions or CPU
// architectures (floating point fusing, JPEG encoder changes).
//
// # Re-running into a directory
//
// Generate refuses to write over the output of an earlier run (its files
// would otherwise mix with the new ones) unless Options.Overwrite is set
// (trainer synth --force). It then deletes only what synth writes: the
// metadata CSV, synth_info.json and the .jpg files under
// images/cropped_256/<split>/; and only when synth_info.json shows synth
// wrote them, so a real dataset is never deleted. Other files are left
// alone. Package trap does the same for its frames (WrittenBySynth).
package synth
