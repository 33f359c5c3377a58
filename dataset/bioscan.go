package dataset

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// BIOSCANMetadataFile is the metadata CSV's name under the dataset root.
const BIOSCANMetadataFile = "BIOSCAN_5M_Insect_Dataset_metadata.csv"

// BIOSCANColumns are the 23 published columns of the metadata CSV.
var BIOSCANColumns = []string{"processid", "sampleid", "taxon", "phylum", "class", "order", "family", "subfamily", "genus", "species", "dna_bin", "dna_barcode", "country", "province_state", "coord-lat", "coord-lon", "image_measurement_value", "area_fraction", "scale_factor", "inferred_ranks", "split", "index_bioscan_1M_insect", "chunk"}

// bioscanNonMeta are the BIOSCAN columns that are identifiers, labels or
// layout, not model inputs. Every other column (including extra ones, e.g.
// a collection date) is metadata.
var bioscanNonMeta = map[string]bool{"processid": true, "sampleid": true, "taxon": true, "phylum": true, "class": true, "order": true, "family": true, "subfamily": true, "genus": true, "species": true, "dna_bin": true, "dna_barcode": true, "inferred_ranks": true, "split": true, "index_bioscan_1m_insect": true, "chunk": true}

// OpenBIOSCAN reads root/BIOSCAN_5M_Insect_Dataset_metadata.csv. Columns
// are found by header name (order and extra columns do not matter); the
// processid, split and target-rank columns are required. Images are
// expected at root/images/<package>/<split>/<chunk>/<processid>.jpg, or
// directly under the split folder when chunk is empty or the file is not in
// the chunk folder (see ResolveImage). Only a missing/unreadable metadata
// file or header is an error; bad rows are skipped and reported.
func OpenBIOSCAN(root string, opts Options) (*Dataset, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(root, BIOSCANMetadataFile)
	f, err := openFile(path, "BIOSCAN-5M metadata file")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readBIOSCAN(f, path, root, opts)
}

// readBIOSCAN parses BIOSCAN-5M metadata CSV text from r (path names it in
// messages); opts must have defaults applied.
func readBIOSCAN(r io.Reader, path, root string, opts Options) (*Dataset, error) {
	b := newBuilder(opts, path)
	imgRoot := filepath.Join(root, "images", opts.Package)
	var pid, split, label, chunk int
	onHeader := func(h *header) error {
		pid, split, label, chunk = h.col("processid"), h.col("split"), h.col(opts.Rank), h.col("chunk")
		var missing []string
		for name, i := range map[string]int{"processid": pid, "split": split, opts.Rank: label} {
			if i < 0 {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("header lacks required column(s) %v (have %v)", slices.Sorted(slices.Values(missing)), h.names)
		}
		var meta []int
		for i, n := range h.names {
			if n != "" && !bioscanNonMeta[n] {
				meta = append(meta, i)
			}
		}
		b.setMeta(h, meta)
		return nil
	}
	err := readCSV(r, path, b.rep, onHeader, func(line int, rec []string) {
		sp := canonicalSplit(rec[split])
		if sp == "" {
			b.rep.Add(Issue{Kind: UnknownSplit, File: path, Line: line, Reason: fmt.Sprintf("unknown split %q (want one of %v)", rec[split], Splits)})
			return
		}
		if !b.wanted(sp) {
			return
		}
		id := strings.TrimSpace(rec[pid])
		if id == "" || strings.ContainsAny(id, `/\`) || id == "." || id == ".." {
			b.rep.Add(Issue{Kind: BadRow, File: path, Line: line, Reason: fmt.Sprintf("bad processid %q", rec[pid])})
			return
		}
		dir := filepath.Join(imgRoot, sp)
		ch := ""
		if chunk >= 0 {
			ch = cleanChunk(rec[chunk])
		}
		if ch != "" {
			dir = filepath.Join(dir, ch)
		}
		s := Sample{
			Line:          line,
			ProcessID:     strings.Clone(id),
			Split:         sp,
			Label:         cleanLabel(rec[label]),
			ImagePath:     b.in.get(dir) + string(filepath.Separator) + id + ".jpg",
			Meta:          b.meta(rec, line),
			chunkFallback: ch != "",
		}
		b.add(s)
	})
	if err != nil {
		return nil, err
	}
	return b.finish(root, opts.Rank), nil
}

// cleanChunk normalises a chunk value ("12", "12.0" -> "12"); "" when empty
// or not a plain folder name.
func cleanChunk(v string) string {
	v = strings.TrimSpace(v)
	if isMissing(v) || strings.ContainsAny(v, `/\`) || v == "." || v == ".." {
		return ""
	}
	if t, ok := strings.CutSuffix(v, ".0"); ok && t != "" && strings.Trim(t, "0123456789") == "" {
		return t
	}
	return v
}

// ResolveImage returns the path of s's image file: s.ImagePath if it exists,
// else (BIOSCAN) the same file directly under the split folder. The error
// names the path(s) tried.
func ResolveImage(s Sample) (string, error) {
	_, err := os.Stat(s.ImagePath)
	if err == nil {
		return s.ImagePath, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if s.chunkFallback {
		alt := filepath.Join(filepath.Dir(filepath.Dir(s.ImagePath)), filepath.Base(s.ImagePath))
		if _, err2 := os.Stat(alt); err2 == nil {
			return alt, nil
		}
		return "", fmt.Errorf("image not found (tried %s and %s)", s.ImagePath, alt)
	}
	return "", fmt.Errorf("image not found")
}
