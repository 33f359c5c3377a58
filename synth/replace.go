package synth

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/trapnet/trapnet/dataset"
)

// Re-running the generator into a directory it wrote before would leave
// the earlier run's files next to the new ones (images of rows the new CSV
// does not list; frames beyond the new count, for package trap). Generate
// therefore refuses such a directory unless told to overwrite, and then
// removes only what synth writes, and only when synth's own ground truth
// file shows that synth wrote it.

// imagesRoot is the image tree of a dataset, relative to its directory.
const imagesRoot = "images/cropped_256"

// WrittenBySynth reports whether the JSON file at path (synth_info.json,
// or a ground_truth.json of trap frames) carries a synth
// generator_version, that is whether synth wrote the output it describes.
func WrittenBySynth(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var v struct {
		Version string `json:"generator_version"`
	}
	return json.Unmarshal(b, &v) == nil && strings.HasPrefix(v.Version, "synth/")
}

// exists reports whether path exists (errors other than "not there" count
// as existing, so that they surface when the path is used).
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil || !errors.Is(err, fs.ErrNotExist)
}

// prepareDatasetDir checks dir for the outputs of an earlier Generate and,
// with overwrite, removes them: the metadata CSV (and its temporary file),
// synth_info.json and the .jpg files under images/cropped_256/<split>/
// (directories left empty are removed too). Anything else stays.
func prepareDatasetDir(dir string, overwrite bool, dryRun bool) error {
	var found []string
	for _, p := range []string{MetadataFile, InfoFile, imagesRoot} {
		if exists(filepath.Join(dir, p)) {
			found = append(found, p)
		}
	}
	if len(found) == 0 {
		return nil
	}
	if !overwrite {
		return fmt.Errorf("synth: %s already holds a dataset (%s); the new images would mix with the old ones: use an empty directory, or --force (Options.Overwrite) to replace synth's earlier output", dir, strings.Join(found, ", "))
	}
	if !WrittenBySynth(filepath.Join(dir, InfoFile)) {
		return fmt.Errorf("synth: %s holds %s but no synth %s, so it is not synth's output: not replacing it, even with --force; use another directory", dir, strings.Join(found, ", "), InfoFile)
	}
	if dryRun {
		return nil
	}
	for _, split := range dataset.Splits {
		if err := removeJPEGs(filepath.Join(dir, imagesRoot, split)); err != nil {
			return fmt.Errorf("synth: removing the earlier run: %w", err)
		}
	}
	_ = os.Remove(filepath.Join(dir, imagesRoot)) // only if empty
	_ = os.Remove(filepath.Join(dir, "images"))
	for _, p := range []string{MetadataFile, MetadataFile + ".tmp", InfoFile} {
		if err := os.Remove(filepath.Join(dir, p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("synth: removing the earlier run: %w", err)
		}
	}
	return nil
}

// removeJPEGs removes the .jpg files under root and then the directories
// that are left empty, root included.
func removeJPEGs(root string) error {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipAll
			}
			return err
		case d.IsDir():
			dirs = append(dirs, p)
		case d.Type().IsRegular() && strings.HasSuffix(d.Name(), ".jpg"):
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Reverse(dirs) // children first
	for _, d := range dirs {
		_ = os.Remove(d) // fails, harmlessly, on directories that are not empty
	}
	return nil
}
