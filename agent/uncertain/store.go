// Package uncertain keeps the crops the model was unsure about, with their
// metadata, in the trainer's generic CSV layout so an operator can fill in
// the label column and retrain:
//
//	DIR/images/<id>.png
//	DIR/labels.csv     image,label,id,pred_label,pred_score,model_version,<metadata columns...>
//	DIR/dataset.yaml   the dataset.Spec (csv, id_column, metadata_columns)
//
// The label column is left empty. The folder is bounded by a disk quota:
// when it is exceeded the oldest crops (and their CSV rows) are removed.
package uncertain

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Store is an uncertain-crop folder. It is safe for concurrent use.
type Store struct {
	dir      string
	maxBytes int64

	mu      sync.Mutex
	size    int64
	header  []string
	saved   uint64
	evicted uint64
}

// Stats counts what the store did.
type Stats struct {
	Saved   uint64 `json:"saved"`
	Evicted uint64 `json:"evicted"`
	Bytes   int64  `json:"bytes"`
}

const csvName, specName = "labels.csv", "dataset.yaml"

// Open opens or creates the folder; maxBytes <= 0 means no quota.
func Open(dir string, maxBytes int64) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "images"), 0o755); err != nil {
		return nil, fmt.Errorf("uncertain dir: %w", err)
	}
	s := &Store{dir: dir, maxBytes: maxBytes}
	ents, err := os.ReadDir(filepath.Join(dir, "images"))
	if err != nil {
		return nil, fmt.Errorf("uncertain dir: %w", err)
	}
	for _, e := range ents {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			s.size += info.Size()
		}
	}
	if f, err := os.Open(filepath.Join(dir, csvName)); err == nil {
		s.header, _ = csv.NewReader(f).Read()
		f.Close()
		if info, err := os.Stat(filepath.Join(dir, csvName)); err == nil {
			s.size += info.Size()
		}
	}
	return s, nil
}

// Save stores one crop under id (a file-name-safe string that sorts by
// time) with its prediction and metadata columns.
func (s *Store) Save(id string, crop image.Image, predLabel string, predScore float64, modelVersion string, meta map[string]string) error {
	if id == "" || strings.ContainsAny(id, `/\`) || strings.HasPrefix(id, ".") {
		return fmt.Errorf("uncertain: bad id %q", id)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, crop); err != nil {
		return fmt.Errorf("uncertain: encode crop %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rel := "images/" + id + ".png"
	full := filepath.Join(s.dir, rel)
	if _, err := os.Stat(full); err == nil {
		// Saved before (the frame is re-processed after a crash): keep
		// the existing crop and row.
		return nil
	}
	if err := os.WriteFile(full, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("uncertain: %w", err)
	}
	s.size += int64(buf.Len())
	metaCols := make([]string, 0, len(meta))
	for k := range meta {
		metaCols = append(metaCols, k)
	}
	sort.Strings(metaCols)
	header := append([]string{"image", "label", "id", "pred_label", "pred_score", "model_version"}, metaCols...)
	if !slices.Equal(header, s.header) {
		if err := s.startCSV(header, metaCols); err != nil {
			return err
		}
	}
	row := append([]string{rel, "", id, predLabel, strconv.FormatFloat(predScore, 'f', 4, 64), modelVersion}, make([]string, len(metaCols))...)
	for i, k := range metaCols {
		row[6+i] = meta[k]
	}
	n, err := appendRows(filepath.Join(s.dir, csvName), [][]string{row})
	if err != nil {
		return err
	}
	s.size += n
	s.saved++
	if s.maxBytes > 0 && s.size > s.maxBytes {
		return s.evict()
	}
	return nil
}

// startCSV begins a new labels.csv with header (the previous one, if any,
// is kept as labels-<n>.csv) and writes the matching dataset.yaml.
func (s *Store) startCSV(header, metaCols []string) error {
	cur := filepath.Join(s.dir, csvName)
	if _, err := os.Stat(cur); err == nil {
		for i := 1; ; i++ {
			old := filepath.Join(s.dir, fmt.Sprintf("labels-%d.csv", i))
			if _, err := os.Stat(old); os.IsNotExist(err) {
				if err := os.Rename(cur, old); err != nil {
					return fmt.Errorf("uncertain: %w", err)
				}
				break
			}
		}
	}
	n, err := appendRows(cur, [][]string{header})
	if err != nil {
		return err
	}
	s.size += n
	var spec strings.Builder
	spec.WriteString("# Generic CSV dataset written by the trapnet agent: fill in the label column.\n")
	spec.WriteString("csv: " + csvName + "\nimage_column: image\nlabel_column: label\nid_column: id\nmetadata_columns:\n")
	for _, c := range metaCols {
		spec.WriteString("  - " + strconv.Quote(c) + "\n")
	}
	if err := os.WriteFile(filepath.Join(s.dir, specName), []byte(spec.String()), 0o644); err != nil {
		return fmt.Errorf("uncertain: %w", err)
	}
	s.header = header
	return nil
}

func appendRows(path string, rows [][]string) (int64, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, fmt.Errorf("uncertain: %w", err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return 0, fmt.Errorf("uncertain: %s: %w", path, err)
	}
	return int64(buf.Len()), f.Close()
}

// evict removes the oldest images until the folder is at 90% of its quota,
// then rewrites labels.csv without their rows.
func (s *Store) evict() error {
	imgDir := filepath.Join(s.dir, "images")
	ents, err := os.ReadDir(imgDir) // sorted by name: ids sort by time
	if err != nil {
		return fmt.Errorf("uncertain: %w", err)
	}
	target := s.maxBytes * 9 / 10
	gone := map[string]bool{}
	for _, e := range ents {
		if s.size <= target {
			break
		}
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if err := os.Remove(filepath.Join(imgDir, e.Name())); err != nil {
			return fmt.Errorf("uncertain: %w", err)
		}
		s.size -= info.Size()
		s.evicted++
		gone["images/"+e.Name()] = true
	}
	return s.dropRows(gone)
}

func (s *Store) dropRows(gone map[string]bool) error {
	path := filepath.Join(s.dir, csvName)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("uncertain: %w", err)
	}
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	f.Close()
	if err != nil {
		return fmt.Errorf("uncertain: %s: %w", path, err)
	}
	kept := rows[:0]
	for i, row := range rows {
		if i == 0 || len(row) == 0 || !gone[row[0]] {
			kept = append(kept, row)
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(kept)
	old, _ := os.Stat(path)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("uncertain: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("uncertain: %w", err)
	}
	if old != nil {
		s.size += int64(buf.Len()) - old.Size()
	}
	return nil
}

// Stats returns the store's counters.
func (s *Store) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{Saved: s.saved, Evicted: s.evicted, Bytes: s.size}
}
