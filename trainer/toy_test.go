package trainer

import (
	"math/rand/v2"
)

// toyData makes a split where the image tells which of k/2 visual types an
// example is (a bright square in one of k/2 places) and the metadata tells
// which member of the look-alike pair it is (a region one-hot that is right
// 95% of the time), so only the fusion of both can solve it.
func toyData(n, k, size int, seed uint64) *MemorySource {
	r := rand.New(rand.NewPCG(seed, 99))
	const metaDim = 3
	m := &MemorySource{Size: size, MetaDim: metaDim, BatchSize: 32}
	img := size * size * 3
	m.Images = make([]float32, n*img)
	m.Meta = make([]float32, n*metaDim)
	m.Labels = make([]int32, n)
	half := size / 2
	for i := range n {
		y := r.IntN(k)
		m.Labels[i] = int32(y)
		typ, member := y/2, y%2
		px := img * i
		for j := range img {
			m.Images[px+j] = float32(r.NormFloat64() * 0.5)
		}
		// A bright square in quadrant-ish position typ, jittered.
		ox := (typ%2)*half + r.IntN(3)
		oy := (typ/2%2)*half + r.IntN(3)
		for yy := oy; yy < min(oy+half-2, size); yy++ {
			for xx := ox; xx < min(ox+half-2, size); xx++ {
				m.Images[px+(yy*size+xx)*3+typ%3] += 2
			}
		}
		reg := member
		if r.Float64() < 0.05 {
			reg = 1 - member
		}
		m.Meta[i*metaDim+reg] = 1
		m.Meta[i*metaDim+2] = float32(r.NormFloat64()) // noise feature
	}
	return m
}

// shuffledLabels returns a copy of m whose labels are permuted across
// examples (destroying any input-label relation).
func shuffledLabels(m *MemorySource, seed uint64) *MemorySource {
	c := *m
	c.Labels = append([]int32(nil), m.Labels...)
	r := rand.New(rand.NewPCG(seed, 7))
	r.Shuffle(len(c.Labels), func(i, j int) { c.Labels[i], c.Labels[j] = c.Labels[j], c.Labels[i] })
	return &c
}
