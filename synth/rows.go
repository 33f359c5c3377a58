package synth

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/trapnet/trapnet/dataset"
	"github.com/trapnet/trapnet/synth/insect"
)

// Chunk returns the image sub-directory of processid in split, as in the
// published BIOSCAN-5M cropped_256 package: the first two hex digits of
// md5(processid) for pretrain, the first one for train and other_heldout,
// and none for the other splits. (Checked against the file names the
// bioscan-dataset package lists, e.g. pretrain/00/AACTA1040-20.jpg and
// train/0/AACTA1026-20.jpg.)
func Chunk(processid, split string) string {
	sum := md5.Sum([]byte(processid))
	h := hex.EncodeToString(sum[:1])
	switch split {
	case dataset.SplitPretrain:
		return h
	case dataset.SplitTrain, dataset.SplitOtherHeldout:
		return h[:1]
	}
	return ""
}

// ImagePath returns the image path of a row relative to the dataset root:
// images/cropped_256/<split>/[<chunk>/]<processid>.jpg.
func ImagePath(processid, split, chunk string) string {
	p := "images/cropped_256/" + split + "/"
	if chunk != "" {
		p += chunk + "/"
	}
	return p + processid + ".jpg"
}

// row is one specimen to generate: everything needed to draw it and to
// write its CSV line.
type row struct {
	index     int
	species   int // catalog index
	split     string
	processid string
	sampleid  string
	// Label blanking: how many of species, genus, subfamily, family to blank.
	blank    int
	region   int
	lat, lon float64
	noCoord  bool
	noProv   bool
	length   float64
	inferred int
	index1M  int // 0 = empty
	chunk    string
	geom     cropGeom
	pose     insect.Pose
	seed     uint64
}

// record returns the CSV fields of r.
func (r *row) record(cat *Catalog, barcode string) []string {
	sp := &cat.Species[r.species]
	ranks := []string{"Arthropoda", "Insecta", sp.Order, sp.Family, sp.Subfamily, sp.Genus, sp.Name}
	// blank removes the most specific ranks: 1 species, 2 +genus, 3
	// +subfamily, 4 +family.
	for k := 0; k < r.blank; k++ {
		ranks[6-k] = ""
	}
	taxon := ""
	for k := 6; k >= 0; k-- {
		if ranks[k] != "" {
			taxon = ranks[k]
			break
		}
	}
	reg := cat.Regions[r.region]
	lat, lon := strconv.FormatFloat(r.lat, 'f', 4, 64), strconv.FormatFloat(r.lon, 'f', 4, 64)
	if r.noCoord {
		lat, lon = "", ""
	}
	prov := reg.Province
	if r.noProv {
		prov = ""
	}
	idx := ""
	if r.index1M > 0 {
		idx = strconv.Itoa(r.index1M)
	}
	return []string{
		r.processid, r.sampleid, taxon, ranks[0], ranks[1], ranks[2], ranks[3], ranks[4], ranks[5], ranks[6],
		sp.BIN, barcode, reg.Country, prov, lat, lon,
		strconv.Itoa(r.geom.Measurement), strconv.FormatFloat(r.geom.AreaFraction, 'f', 6, 64),
		strconv.FormatFloat(r.geom.ScaleFactor, 'f', 4, 64), strconv.Itoa(r.inferred), r.split, idx, r.chunk,
	}
}

// plan decides per-row metadata (region, size, ids, pose, crop) from the
// row's own random stream, so rows are independent of each other and of
// the worker count.
func (r *row) plan(cat *Catalog, o *Options) {
	rng := rand.New(rand.NewPCG(r.seed, 0x707))
	sp := &cat.Species[r.species]
	r.region = sp.Region
	if rng.Float64() < 0.15 { // strays caught outside the home region
		r.region = rng.IntN(len(cat.Regions))
	}
	reg := cat.Regions[r.region]
	site := float64(rng.IntN(3))
	r.lat = reg.Lat + 0.35*math.Sin(site*2.1) + rng.NormFloat64()*0.04
	r.lon = reg.Lon + 0.35*math.Cos(site*2.1) + rng.NormFloat64()*0.04
	r.noCoord = rng.Float64() < 0.02
	r.noProv = rng.Float64() < 0.03
	r.length = sp.LengthMM * math.Exp(rng.NormFloat64()*0.1)
	if rng.Float64() < 0.03 {
		r.inferred = 1 + rng.IntN(2)
	}
	if rng.Float64() < 0.2 {
		r.index1M = 1 + r.index*7 + rng.IntN(7)
	}
	r.processid = fmt.Sprintf("%s%d-%02d", projectCode(reg), 1000+r.index, 19+rng.IntN(5))
	r.sampleid = fmt.Sprintf("BIOUG%05d-%c%02d", 10000+r.index/96, 'A'+rune(r.index%96/12), 1+r.index%12)
	r.chunk = Chunk(r.processid, r.split)
	r.pose = insect.RandomPose(rng)
	r.geom = planCrop(rng, sp, r.pose, r.length, o.Size, o.Square)
}

// barcode returns this row's DNA barcode: the species' sequence with a few
// read errors and, sometimes, trailing Ns.
func (r *row) barcode(cat *Catalog) string {
	rng := rand.New(rand.NewPCG(r.seed, 0xd0a))
	b := mutate(rng, cat.Species[r.species].barcode, 0.004)
	if rng.IntN(5) == 0 {
		n := rng.IntN(40)
		for i := len(b) - n; i < len(b); i++ {
			b[i] = 'N'
		}
	}
	return string(b)
}
