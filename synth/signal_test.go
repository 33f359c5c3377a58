package synth

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/synth/insect"
)

// relDiff is the largest relative difference between the shape parameters
// of two appearances.
func relDiff(a, b *insect.Appearance) float64 {
	pa := []float64{a.HeadLen, a.HeadWid, a.ThoraxLen, a.ThoraxWid, a.AbdWid, a.WingLen, a.WingWid, a.LegLen, a.AntLen}
	pb := []float64{b.HeadLen, b.HeadWid, b.ThoraxLen, b.ThoraxWid, b.AbdWid, b.WingLen, b.WingWid, b.LegLen, b.AntLen}
	d := 0.0
	for i := range pa {
		if pa[i] != 0 || pb[i] != 0 {
			d = math.Max(d, math.Abs(pa[i]-pb[i])/math.Max(math.Abs(pa[i]), math.Abs(pb[i])))
		}
	}
	return d
}

func TestLookalikeGroups(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		cat, err := NewCatalog(seed, 40, 4)
		if err != nil {
			t.Fatal(err)
		}
		perRegion := map[int]int{}
		multi := 0
		names, bins := map[string]bool{}, map[string]bool{}
		for _, sp := range cat.Species {
			if names[sp.Name] || bins[sp.BIN] {
				t.Fatalf("seed %d: duplicate species name %q or BIN %q", seed, sp.Name, sp.BIN)
			}
			names[sp.Name], bins[sp.BIN] = true, true
		}
		for _, g := range cat.Groups {
			if len(g.Members) > 1 {
				multi++
			}
			for i, a := range g.Members {
				sa := &cat.Species[a]
				perRegion[sa.Region]++
				for _, b := range g.Members[i+1:] {
					sb := &cat.Species[b]
					if sa.Genus != sb.Genus || sa.Appearance.Plan != sb.Appearance.Plan {
						t.Fatalf("seed %d group %d: %s and %s differ in genus or plan", seed, g.ID, sa.Name, sb.Name)
					}
					if d := relDiff(&sa.Appearance, &sb.Appearance); d > 0.013 {
						t.Fatalf("seed %d group %d: look-alikes differ by %.3f in shape", seed, g.ID, d)
					}
					sizeRatio := math.Max(sa.LengthMM, sb.LengthMM) / math.Min(sa.LengthMM, sb.LengthMM)
					if sa.Region == sb.Region && sizeRatio < 1.6 {
						t.Fatalf("seed %d group %d (%s): %s and %s share region and size (ratio %.2f)", seed, g.ID, g.Mode, sa.Name, sb.Name, sizeRatio)
					}
				}
			}
		}
		if multi < len(cat.Groups)/3 {
			t.Errorf("seed %d: only %d of %d groups have look-alikes", seed, multi, len(cat.Groups))
		}
		// Regions are shared: metadata alone must not identify a species.
		crowded := 0
		for _, n := range perRegion {
			if n >= 3 {
				crowded++
			}
		}
		if crowded < len(cat.Regions)/2 {
			t.Errorf("seed %d: regions are not shared enough: %v", seed, perRegion)
		}
	}
}

// TestMetadataSignalInCSV checks that the written metadata carry the
// ground truth: size look-alikes differ in image_measurement_value and
// region look-alikes mostly come from their own regions.
func TestMetadataSignalInCSV(t *testing.T) {
	o := tiny(t.TempDir())
	o.Species, o.Images, o.Imbalance, o.Seed, o.Size = 12, 500, 3, 11, 16
	if _, err := Generate(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	cat, err := NewCatalog(o.Seed, o.Species, max(1, o.Species/10))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Species{}
	for i := range cat.Species {
		byName[cat.Species[i].Name] = &cat.Species[i]
	}
	logSize := map[string][]float64{}
	home, total := map[string]int{}, map[string]int{}
	for _, r := range readCSV(t, o.Dir)[1:] {
		sp := byName[r[9]]
		if sp == nil {
			continue
		}
		logSize[sp.Name] = append(logSize[sp.Name], math.Log(measure(t, r)))
		total[sp.Name]++
		if r[12] == cat.Regions[sp.Region].Country && (r[13] == "" || r[13] == cat.Regions[sp.Region].Province) {
			home[sp.Name]++
		}
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	checked := 0
	for _, g := range cat.Groups {
		for i, a := range g.Members {
			for _, b := range g.Members[i+1:] {
				sa, sb := &cat.Species[a], &cat.Species[b]
				if !sa.Seen {
					continue
				}
				checked++
				if sa.Region == sb.Region {
					// Length ratio >= 1.6 means area ratio >= 2.5: log gap >= 0.9.
					if d := math.Abs(mean(logSize[sa.Name]) - mean(logSize[sb.Name])); d < 0.7 {
						t.Errorf("size look-alikes %s/%s: mean log measurement gap %.2f", sa.Name, sb.Name, d)
					}
				}
			}
		}
	}
	for name, n := range total {
		if f := float64(home[name]) / float64(n); f < 0.6 {
			t.Errorf("%s: only %.0f%% of rows from its home region", name, 100*f)
		}
	}
	if checked == 0 {
		t.Fatal("no look-alike pairs to check")
	}
}

// TestFusionBeatsEitherModality fits a naive Bayes classifier on the
// written train rows (province and log image_measurement_value) and
// scores the test rows three ways: metadata alone, a perfect image model
// that only knows the look-alike group (it picks the group's most frequent
// member), and that image model fused with the metadata. The design
// promises that fusion is far better than either.
func TestFusionBeatsEitherModality(t *testing.T) {
	for _, seed := range []uint64{21, 4} {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) { fusionCheck(t, seed) })
	}
}

func fusionCheck(t *testing.T, seed uint64) {
	// The rows are planned and formatted exactly as Generate does, without
	// drawing the images.
	o := tiny(t.TempDir())
	o.Species, o.Images, o.Seed, o.Imbalance = 30, 3000, seed, 5
	cat, err := NewCatalog(o.Seed, o.Species, max(1, o.Species/10))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := allocate(cat, &o)
	if err != nil {
		t.Fatal(err)
	}
	type obs struct {
		sp   int
		prov string
		logm float64
	}
	var train, test []obs
	for i := range rows {
		rows[i].plan(cat, &o)
		r := rows[i].record(cat, "")
		if r[9] == "" {
			continue
		}
		x := obs{rows[i].species, r[12] + "/" + r[13], math.Log(measure(t, r))}
		switch r[20] {
		case dataset.SplitTrain:
			train = append(train, x)
		case dataset.SplitTest:
			test = append(test, x)
		}
	}
	n := len(cat.Species)
	count := make([]float64, n)
	mu := make([]float64, n)
	provCount := make([]map[string]float64, n)
	for i := range provCount {
		provCount[i] = map[string]float64{}
	}
	for _, x := range train {
		count[x.sp]++
		mu[x.sp] += x.logm
		provCount[x.sp][x.prov]++
	}
	resid, dof := 0.0, 0.0
	for i := range mu {
		if count[i] > 0 {
			mu[i] /= count[i]
		}
	}
	for _, x := range train {
		resid += (x.logm - mu[x.sp]) * (x.logm - mu[x.sp])
		dof++
	}
	sigma := math.Sqrt(resid / dof)
	nReg := float64(len(cat.Regions))
	score := func(sp int, x obs) float64 {
		p := math.Log(count[sp]) + math.Log((provCount[sp][x.prov]+0.5)/(count[sp]+0.5*nReg*1.3))
		z := (x.logm - mu[sp]) / sigma
		return p - z*z/2
	}
	var meta, image, fused float64
	for _, x := range test {
		best, bestS := -1, math.Inf(-1)
		for sp := 0; sp < n; sp++ {
			if count[sp] > 0 {
				if s := score(sp, x); s > bestS {
					best, bestS = sp, s
				}
			}
		}
		if best == x.sp {
			meta++
		}
		members := cat.Groups[cat.Species[x.sp].Group].Members
		bestImg, bestF, bestFS := -1, -1, math.Inf(-1)
		for _, sp := range members {
			if count[sp] == 0 {
				continue
			}
			if bestImg < 0 || count[sp] > count[bestImg] {
				bestImg = sp
			}
			if s := score(sp, x); s > bestFS {
				bestF, bestFS = sp, s
			}
		}
		if bestImg == x.sp {
			image++
		}
		if bestF == x.sp {
			fused++
		}
	}
	k := float64(len(test))
	meta, image, fused = meta/k, image/k, fused/k
	t.Logf("test rows %d: metadata alone %.2f, image (group oracle) %.2f, fused %.2f", len(test), meta, image, fused)
	if meta > 0.7 {
		t.Errorf("metadata alone reaches %.2f: too easy", meta)
	}
	if image > 0.9 {
		t.Errorf("a group-level image model reaches %.2f: too few look-alikes", image)
	}
	if fused < 0.85 || fused < image+0.08 || fused < meta+0.2 {
		t.Errorf("fusion %.2f does not clearly beat metadata %.2f and image %.2f", fused, meta, image)
	}
}
