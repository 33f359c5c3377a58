package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Columns of an imported crop folder's labels.csv that are not metadata.
var importFixed = []string{"image", "label", "hash", "id", "source", "pred_label", "pred_score", "model_version"}

// maxCropBytes caps one imported crop file.
const maxCropBytes = 32 << 20

// ImportResult counts what ImportCrops did.
type ImportResult struct {
	// Added crops were new; Duplicates had a crop hash already in the
	// folder (or met earlier in this import); Unlabelled rows were left
	// out; Conflicts are duplicates whose label differs from the kept one
	// (the first label is kept; each is listed in Report).
	Added, Duplicates, Unlabelled, Conflicts int
	// Total is the number of crops in the folder afterwards.
	Total int
	// Report lists bad rows and unreadable crops (skipped).
	Report *Report
}

// importRow is one crop of the output folder.
type importRow struct {
	fixed map[string]string
	meta  map[string]string
}

// ImportCrops merges the labelled crops of one or more agents' uncertain
// folders (labels.csv and the labels-<n>.csv kept when the metadata columns
// changed) into the dataset folder out, creating it: each crop is stored once
// under its content hash (SHA-256 of the file), with its label, the agent's
// detection id, the folder it came from, the prediction columns and every
// metadata column exactly as the agent wrote them. out gets labels.csv and a
// dataset.yaml, so `trainer train --data out` reads it (split by trap and
// night). Importing again adds only crops not yet there. Rows with an empty
// label are counted and skipped; bad rows and unreadable crops are reported
// and skipped, never fatal.
func ImportCrops(out string, from []string) (*ImportResult, error) {
	res := &ImportResult{Report: NewReport(20)}
	if err := os.MkdirAll(filepath.Join(out, "images"), 0o755); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	var rows []importRow
	byHash := map[string]int{}
	add := func(r importRow) { byHash[r.fixed["hash"]] = len(rows); rows = append(rows, r) }
	if err := readImportCSV(filepath.Join(out, "labels.csv"), res.Report, func(line int, r importRow) { add(r) }); err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("import: existing %s: %w", filepath.Join(out, "labels.csv"), err)
	}
	for _, dir := range from {
		files, _ := filepath.Glob(filepath.Join(dir, "labels*.csv"))
		if len(files) == 0 {
			return nil, fmt.Errorf("import: %s: no labels.csv (not an uncertain-crop folder)", dir)
		}
		sort.Strings(files)
		for _, file := range files {
			err := readImportCSV(file, res.Report, func(line int, r importRow) {
				if r.fixed["label"] == "" {
					res.Unlabelled++
					return
				}
				data, err := readCrop(dir, r.fixed["image"])
				if err != nil {
					res.Report.Add(Issue{Kind: UnreadableImage, File: file, Line: line, Reason: fmt.Sprintf("crop %s: %v (skipped)", r.fixed["image"], err)})
					return
				}
				sum := sha256.Sum256(data)
				h := hex.EncodeToString(sum[:])
				if i, ok := byHash[h]; ok {
					res.Duplicates++
					if prev := rows[i].fixed["label"]; prev != r.fixed["label"] {
						res.Conflicts++
						res.Report.Add(Issue{Kind: BadValue, File: file, Line: line, Reason: fmt.Sprintf("crop %s labelled %q, the same crop was imported as %q (kept)", r.fixed["image"], r.fixed["label"], prev)})
					}
					return
				}
				ext := strings.ToLower(filepath.Ext(r.fixed["image"]))
				rel := "images/" + h[:32] + ext
				if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(rel)), data, 0o644); err != nil {
					res.Report.Add(Issue{Kind: UnreadableImage, File: file, Line: line, Reason: fmt.Sprintf("crop %s: %v (skipped)", r.fixed["image"], err)})
					return
				}
				r.fixed["image"], r.fixed["hash"], r.fixed["source"] = rel, h, dir
				add(r)
				res.Added++
			})
			if err != nil {
				return nil, fmt.Errorf("import: %w", err)
			}
		}
	}
	res.Total = len(rows)
	return res, writeImport(out, rows)
}

// readCrop reads an uncertain folder's crop (path relative to dir, inside
// it), checking that it is a complete JPEG or PNG.
func readCrop(dir, rel string) ([]byte, error) {
	p := filepath.Clean(filepath.FromSlash(rel))
	if rel == "" || filepath.IsAbs(p) || p == ".." || strings.HasPrefix(p, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("path %q is not inside the folder", rel)
	}
	full := filepath.Join(dir, p)
	if err := CheckImageFile(full); err != nil {
		return nil, err
	}
	f, err := os.Open(full)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCropBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCropBytes {
		return nil, fmt.Errorf("larger than %d bytes", maxCropBytes)
	}
	return data, nil
}

// readImportCSV reads an uncertain-folder or imported labels.csv: the image
// column is required; the columns of importFixed are taken as such, every
// other column is metadata.
func readImportCSV(file string, rep *Report, fn func(line int, r importRow)) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	var h *header
	return readCSV(f, file, rep, func(hd *header) error {
		if hd.col("image") < 0 {
			return fmt.Errorf("header lacks the image column (have %v)", hd.names)
		}
		h = hd
		return nil
	}, func(line int, rec []string) {
		r := importRow{fixed: map[string]string{}, meta: map[string]string{}}
		for i, name := range h.names {
			v := strings.TrimSpace(rec[i])
			switch {
			case name == "":
			case slices.Contains(importFixed, name):
				r.fixed[name] = v
			case v != "":
				r.meta[name] = v
			}
		}
		r.fixed["label"] = cleanLabel(r.fixed["label"])
		fn(line, r)
	})
}

// writeImport writes out/labels.csv (atomically) and out/dataset.yaml.
func writeImport(out string, rows []importRow) error {
	metaSet := map[string]bool{}
	for _, r := range rows {
		for k := range r.meta {
			metaSet[k] = true
		}
	}
	meta := slices.Sorted(func(yield func(string) bool) {
		for k := range metaSet {
			if !yield(k) {
				return
			}
		}
	})
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(append(slices.Clone(importFixed), meta...))
	for _, r := range rows {
		rec := make([]string, 0, len(importFixed)+len(meta))
		for _, c := range importFixed {
			rec = append(rec, r.fixed[c])
		}
		for _, c := range meta {
			rec = append(rec, r.meta[c])
		}
		_ = w.Write(rec)
	}
	w.Flush()
	path := filepath.Join(out, "labels.csv")
	if err := os.WriteFile(path+".tmp", buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	var spec strings.Builder
	spec.WriteString("# Labelled field crops merged by `trainer import` (deduplicated by crop hash).\n")
	spec.WriteString("csv: labels.csv\nimage_column: image\nlabel_column: label\nid_column: hash\n")
	if len(meta) == 0 {
		spec.WriteString("metadata_columns: []\n")
	} else {
		spec.WriteString("metadata_columns:\n")
	}
	for _, c := range meta {
		spec.WriteString("  - " + strconv.Quote(c) + "\n")
	}
	if err := os.WriteFile(filepath.Join(out, SpecFile), []byte(spec.String()), 0o644); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}
