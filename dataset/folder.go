package dataset

import (
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FormatFolder is a folder of labelled photos: one subfolder per class
// (its name is the label), optionally inside split folders (train, val,
// test or their aliases).
const FormatFolder = "folder"

// imageExts are the file endings a folder dataset takes as images.
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true}

// Folder split shares for a folder without split folders: per class, by
// a hash of each file's path, about 70 % train, 15 % val, 15 % test;
// a class of fewer than folderMinSplit photos stays in train.
const (
	folderValShare, folderTestShare = 0.15, 0.15
	folderMinSplit                  = 5
)

// isFolderDataset reports whether dir looks like a folder of labelled
// photos: some subfolder (or a split folder's subfolder) holds an image.
func isFolderDataset(dir string) bool {
	subs, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, s := range subs {
		if !s.IsDir() {
			continue
		}
		found := false
		_ = filepath.WalkDir(filepath.Join(dir, s.Name()), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && imageExts[strings.ToLower(filepath.Ext(p))] {
				found = true
				return fs.SkipAll
			}
			return nil
		})
		if found {
			return true
		}
	}
	return false
}

// OpenFolder reads a folder of labelled photos: DIR/LABEL/*.jpg (png,
// jpeg; photos in deeper folders belong to the class folder above them),
// or DIR/SPLIT/LABEL/*.jpg with SPLIT one of train, val, test (or an
// alias). Without split folders each class is split by a hash of its
// files' paths (the same every run): about 70 % train, 15 % val and 15 %
// test, all train below folderMinSplit photos. Files that are not images
// and loose files beside the class folders are counted in the report and
// left out. Photos carry no metadata. Options.Rank is ignored (the
// dataset's rank is "label").
func OpenFolder(dir string, opts Options) (*Dataset, error) {
	opts.Rank = ""
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	tops, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", dir, err)
	}
	b := newBuilder(opts, dir)
	b.setMeta(&header{idx: map[string]int{}}, nil)
	splitFolders := false
	for _, t := range tops {
		if t.IsDir() && canonicalSplit(t.Name()) != "" {
			splitFolders = true
		}
	}
	var photos []folderPhoto
	perClass := map[string][]int{}
	// walkClass gathers the photos under one class folder.
	walkClass := func(classDir, label, split string) error {
		return filepath.WalkDir(classDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				b.rep.Add(Issue{Kind: UnreadableImage, File: p, Reason: err.Error()})
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") && p != classDir { // .DS_Store, .thumbnails
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			if !imageExts[strings.ToLower(filepath.Ext(p))] {
				b.rep.Add(Issue{Kind: BadRow, File: p, Reason: "not an image file (want .jpg, .jpeg or .png): left out"})
				return nil
			}
			perClass[label] = append(perClass[label], len(photos))
			photos = append(photos, newFolderPhoto(p, filepath.ToSlash(rel), label, split))
			return nil
		})
	}
	for _, t := range tops {
		p := filepath.Join(dir, t.Name())
		switch {
		case !t.IsDir():
			if !strings.HasPrefix(t.Name(), ".") {
				b.rep.Add(Issue{Kind: BadRow, File: p, Reason: "a file beside the class folders (a folder dataset is DIR/LABEL/photo.jpg): left out"})
			}
		case strings.HasPrefix(t.Name(), "."):
		case splitFolders && canonicalSplit(t.Name()) == "":
			b.rep.Add(Issue{Kind: UnknownSplit, File: p, Reason: fmt.Sprintf("folder %q beside split folders is no split (want train, val, test or another of %v): left out", t.Name(), Splits)})
		case splitFolders:
			classes, err := os.ReadDir(p)
			if err != nil {
				return nil, fmt.Errorf("dataset %s: %w", p, err)
			}
			for _, c := range classes {
				if c.IsDir() && !strings.HasPrefix(c.Name(), ".") {
					if err := walkClass(filepath.Join(p, c.Name()), c.Name(), canonicalSplit(t.Name())); err != nil {
						return nil, err
					}
				} else if !c.IsDir() {
					b.rep.Add(Issue{Kind: BadRow, File: filepath.Join(p, c.Name()), Reason: "a file beside the class folders: left out"})
				}
			}
		default:
			if err := walkClass(p, t.Name(), ""); err != nil {
				return nil, err
			}
		}
	}
	if !splitFolders {
		for _, idx := range perClass {
			assignFolderSplits(photos, idx)
		}
	}
	b.rep.RowsRead = len(photos) // a photo is a folder dataset's row
	for i, ph := range photos {
		if !b.wanted(ph.split) {
			continue
		}
		b.add(Sample{Line: i + 1, ProcessID: ph.rel, Split: ph.split, Label: cleanLabel(ph.label), ImagePath: ph.path, Meta: b.meta(nil, i+1)})
	}
	return b.finish(dir, "label"), nil
}

// folderPhoto is one photo of a folder dataset: its path, its path
// relative to the dataset (its id), label, split, and the hash of rel
// that splits its class.
type folderPhoto struct {
	path, rel, label, split string
	hash                    uint64
}

func newFolderPhoto(path, rel, label, split string) folderPhoto {
	h := fnv.New64a()
	h.Write([]byte(rel))
	return folderPhoto{path: path, rel: rel, label: label, split: split, hash: h.Sum64()}
}

// assignFolderSplits splits one class's photos (indices idx into photos)
// by their hashes: the lowest go to test, the next to val, the rest to
// train; fewer than folderMinSplit all go to train.
func assignFolderSplits(photos []folderPhoto, idx []int) {
	order := append([]int(nil), idx...)
	sort.Slice(order, func(a, b int) bool { return photos[order[a]].hash < photos[order[b]].hash })
	nTest := max(1, int(folderTestShare*float64(len(order))+0.5))
	nVal := max(1, int(folderValShare*float64(len(order))+0.5))
	if len(order) < folderMinSplit {
		nTest, nVal = 0, 0
	}
	for k, i := range order {
		switch {
		case k < nTest:
			photos[i].split = SplitTest
		case k < nTest+nVal:
			photos[i].split = SplitVal
		default:
			photos[i].split = SplitTrain
		}
	}
}
