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
// # Objects that are not specimens
//
// Frames also carry what a detector must not report, recorded in
// Frame.Objects as kind "not_insect" (the kind of ../shared/realframes'
// annotations): on sheets a timestamp burned into the bottom-right
// corner (date over time, 7x13 px glyphs per 4096 px of width, as the
// AMI trap cameras print it), on about a third of the traps black round
// grommets of 9-11 mm in pairs across the sheet (some cut by its lower
// edge), and on half of them a checkerboard scale bar: 2 x 10 squares of
// 2 mm (larger below 5 px/mm) alternating corner to corner on a light
// card between grey end blocks, whose square size Frame.ScaleBar records
// for detect.Options.ScaleSquareMM. Since 2026-12-05 sheets also carry
// the blemishes of ../shared/realframes' sheets (sheetblemish.go): on half of
// them 1-2 faint brownish stains 4-13 mm across with blurred edges
// (darkest 0.11/0.18/0.29 of the sheet's luma at p10/p50/p90 by 5 x 5
// means, against the six real ones' 0.07-0.50, median 0.19), and on a
// fifth the shadow the trap's housing casts into a corner, its darkness
// ramping up over 4-15 mm (Cyprus' does over tens of mm).
// TestDetectOnSceneObjects checks that detect measures the frame's scale
// from the bar and reports none of these objects. With Options.PhotoCard, sticky cards get two punched holes,
// and whiteflies besides the catalog's species (see Options.PhotoCard).
// Specimens are never placed on these objects.
//
// # Compared with real frames
//
// realstats_test.go (TestRealVsSynthStats; it skips without
// ../shared/realframes, and in -short mode) measures the 13 real
// light-sheet frames, the 18 real sticky-card photos and synth frames of
// the same size (two 3-frame sessions, default options but for the
// background: sheets 4096x2160, cards 2048x1536): background luma (median
// of 64 px block medians, annotated boxes and objects left out; on cards
// the card only), its spread over blocks (std / median), the border
// band's mean over the centre's (vignetting), texture (robust std of luma
// minus its 5x5 mean on bare background: grain, weave, noise), the
// fraction of pixels at luma 254-255, the card's share of the frame,
// specimen size (longest side of the box) and density per megapixel of
// frame, counted as the real frames are annotated: on sheets specimens
// >= 40 px, on cards the whiteflies only. Medians over frames:
//
//	frames                 luma  spread  border/  texture  at 255   clipped        card  size p10/50/90  per MP
//	                                     centre
//	real sheet             212   0.115   0.79     1.9      0.00002  8 of 13, 0.48  -     46/110/321 px   1.6
//	synth sheet, before    223   0.077   0.87     1.5      0        -              -     52/104/125 px   3.8
//	synth sheet, then      207   0.140   0.82     1.8      0.00004  -              -     53/104/127 px   1.9
//	synth sheet, now       208   0.131   0.82     1.8      0.00003  3 of 12, 0.20  -     54/79/121 px    1.7
//	real sticky            154   0.090   1.02     2.1      0.00002  0 of 18        0.72  20/38/56 px     26.4
//	synth sticky, before   195   0.066   0.91     1.6      0        -              0.98  no whiteflies   0
//	synth sticky, now      186   0.072   0.87     0.8      0        0 of 6         0.99  no whiteflies   0
//	  with PhotoCard       156   0.089   1.02     2.4      0        0 of 6         0.68  18/22/26 px     15.6
//
// What changed on sheets: a lamp's spot fading to 55-75 % at the borders
// gives the real sheets' bright centre and darker edges (border/centre
// 0.87 -> 0.82 against 0.79, block spread 0.077 -> 0.140 against 0.115,
// luma 223 -> 207 against 212); fabric grain at 2-3 px (coarse on 30 % of
// the traps, like Panama's and Vermont's sheets: the real texture ranges
// from 0 on the smooth sequential frames to 12.7 on Panama's) and on 60 %
// a weave of short horizontal threads (the sequential frames' streaks)
// bring texture from 1.5 to 1.8 against 1.9 (after JPEG at quality 75,
// the real cameras' quality read from their quantisation tables, which
// smooths fine noise: it was 90; the default plain card's texture falls
// from 1.6 to 0.8 by it); sessions start with 2-20
// specimens and gain 1-3 per frame (was 5-40 and 2-6): 1.9 specimens
// >= 40 px per megapixel against the real 1.6 (0-4.4; was 3.8); plus the
// objects above (the real frames have the timestamp on every sheet, 6
// grommets on Cyprus', the scale bar on Vermont's). With PhotoCard, cards
// are darker (luma 156 against the real 154; the default card 186), cover
// 55-85 % of the frame on dark grey cloth (0.68 against 0.72; the default
// fills the frame), are lit unevenly by daylight (spread 0.089 against
// 0.090, border/centre 1.02 against 1.02), carry glue speckle (texture
// 2.4 against 2.1) and hold whiteflies at 8-50 per megapixel of card,
// drawn per session (the real 3-53; the two sessions measured here 15.6). The "at 255" column shows that the real frames'
// centres are bright but below 254 (the few saturated pixels are the
// timestamp's); yet 8 of the 13 real sheets are clipped, at a white point
// below 255 ("clipped": frames whose luma histogram has a spike, a level
// of 128 or more holding 2 % of the pixels and twice as many as either
// neighbour, and the median share of their pixels at it): the AMI cameras
// clip every channel at 228, on half of the sequential trap's frame, a
// fifth of two of Vermont's and 8 % of Cyprus'. Since 2026-12-07 half of
// synth's sheet sessions clip too (whitepoint.go: a camera whose white
// point is 225-245 exposed so that 5-50 % of the bare sheet is past it in
// every channel, clipped after the sensor's noise; Frame.WhitePoint),
// so detect's clipped-sheet path (detect/clip.go) is exercised by synth's
// frames (TestDetectSynthGroundTruth's clipped sheet). The sheets are
// measured over four sessions since: clipping flattens a sheet's bright
// centre (as on the real sequential frames: border/centre 0.88-0.93),
// and two sessions' median swung with whether one of them clipped. The sheets' size column moved with the
// sessions measured, not the change.
//
// Still different: real sheets catch large moths (p90 321 px at about
// 10 px/mm: wingspans of 30 mm), synth's specimens are the catalog's
// BIOSCAN-like species (silhouettes of 1-9 mm², at most about 130 px at
// the default 20 px/mm), so the size distribution matches at the median
// only; real sheets show a cable at the border, moths
// overlapping and blurred wing edges, real cards glare, creases, a stick
// lying across and many small flies and midges besides the whiteflies
// (synth's cards have glare and a curl's shade, but no creases or stick);
// synth's whitefly boxes are tight while the real annotations are loose
// (20-56 px at about 8 px/mm around insects of 6-12 px).
//
// Whiteflies are drawn as faint as the real ones since 2026-12-05 (sixth
// session of issue #11). They were pure white and opaque, 1.2-1.8 mm,
// and detect found every one; the real ones are beige, half transparent
// on the glue and differ from the card mostly in blue. Now 0.8-1.3 mm,
// wings of (w-8, w-16, w-50) for w in 205-235 at 30-100 % opacity over a
// body as transparent. TestRealVsSynthCards measures each whitefly's
// peak blue and luma excess over the card around it (levels; within
// 0.8 mm of its box's centre: the real boxes are loose but centred) and
// the side of its pixels at half the blue peak or more, p10/p50/p90:
//
//	whiteflies                     n     blue         luma       side mm
//	real (annotated)               1529  58/101/158   19/41/81   0.4/0.6/0.8
//	synth before, at 8 px/mm       838   189/204/218  73/88/105  0.8/1.0/1.2
//	synth now, PhotoCard 8 px/mm   836   54/87/125    24/38/59   0.6/0.7/0.8
//
// (six sessions' first two frames; glare fields, below, included).
// detect now finds 0.90-0.93 of synth's whiteflies
// (TestDetectSynthWhiteflies in detect: a detection's centre in the
// whitefly's box), against 0.94 of the real ones by the same rule.
//
// PhotoCard cards also carry glare since then (cardblemish.go): 0-2 fields of
// white flecks along the glue's ridges over a sheen, each a patch of the
// card (semi-axes 8-30 mm, at most a sixth of its side), recorded as
// not_insect objects. Their specular pixels (brighter than 1.15 times the
// card's median luma, blue at least 0.75 of luma) cover 0/0.9/1.7 % of the
// frame (p10/p50/p90) against the real cards' 0.1/1.1/4.2 %. detect
// reports glare there as on the real cards: on TestDetectSynthGroundTruth's
// card frames 7 detections of 40 px or more match no specimen (precision
// 0.97 by the real frames' rule): over those three frames of one card
// with one field, 68 smaller detections and 7 of 40 px or more lie on the
// field, 31 small ones elsewhere (specks of the glue). Half the cards
// also get the shade of a curl: a band 3-8 mm wide along 40-100 % of one
// side, darkest (by 10-35 %) at the edge; detect reports none of 11 such
// bands of 40 px or more (real bands are reported now and then: 8 of the
// judged junk boxes).
//
// PhotoCard is on by default since 2026-12-04 (second session of issue
// #11), when the detector stopped splitting catalog specimens on the darker
// card (TestDetectSynthPhotoCard in detect: 52 detections for 46 specimens
// and 6 punched holes, recall 1.0; it was 66 with recall 0.89, and 69 in
// agent/runner's TestSyntheticFrames). SeenOnly draws no whiteflies (no
// labelled species). TestDetectFinderMatchesTraining (agent) keeps the
// plain card: it checks the size fields' calibration against the training
// rows, whose median ratio is 1.20 on the photo cards (the test allows
// 0.85-1.2) and 1.12 on the plain ones.
//
// Generation cost per 4096x2160 frame, written (BenchmarkFrame, 1 worker,
// CPU time from its profile on a loaded 2-core machine): sheet 0.50 s
// before, 0.65 s now (the grain is 0.13 s of it); card 0.57 s before,
// 0.60 s now; PhotoCard card 0.77 s.
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
