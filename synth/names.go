package synth

import (
	"math/rand/v2"
	"strings"

	"github.com/trapnet/trapnet/synth/insect"
)

// Latin-like name pieces. Orders are the real insect orders whose body plans
// the drawer imitates; everything below order is invented.
var (
	orderNames = map[insect.BodyPlan]string{
		insect.PlanFly: "Diptera", insect.PlanWasp: "Hymenoptera", insect.PlanBeetle: "Coleoptera", insect.PlanBug: "Hemiptera", insect.PlanMoth: "Lepidoptera",
	}
	syllables    = []string{"ca", "lo", "mi", "ther", "phy", "dro", "ne", "ma", "so", "pter", "chi", "ro", "ly", "ta", "cen", "gra", "bo", "xe", "pa", "tri", "cor", "ny", "ste", "lu", "ze", "mor", "phe", "di", "scu", "vel"}
	genusEnds    = []string{"ia", "us", "omyia", "ella", "ops", "era", "ocera", "ion", "aspis", "ix"}
	epithetEnds  = []string{"ensis", "us", "a", "i", "ata", "oides", "alis", "icus", "ifera", "ulus"}
	capitalFirst = func(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
)

// namer hands out unique Latin-like names.
type namer struct {
	r    *rand.Rand
	used map[string]bool
}

func newNamer(r *rand.Rand) *namer { return &namer{r: r, used: map[string]bool{}} }

func (n *namer) stem(k int) string {
	var b strings.Builder
	for i := 0; i < k; i++ {
		b.WriteString(syllables[n.r.IntN(len(syllables))])
	}
	return b.String()
}

// unique retries make until it returns a name not used before.
func (n *namer) unique(make func() string) string {
	for {
		s := make()
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
}

func (n *namer) genus() string {
	return n.unique(func() string {
		return capitalFirst(n.stem(2+n.r.IntN(2)) + genusEnds[n.r.IntN(len(genusEnds))])
	})
}

func (n *namer) family() string {
	return n.unique(func() string { return capitalFirst(n.stem(2+n.r.IntN(2)) + "idae") })
}

func (n *namer) subfamily() string {
	return n.unique(func() string { return capitalFirst(n.stem(2+n.r.IntN(2)) + "inae") })
}

// species returns a binomial "Genus epithet", unique over the whole catalog.
func (n *namer) species(genus string) string {
	return n.unique(func() string {
		return genus + " " + n.stem(1+n.r.IntN(2)) + epithetEnds[n.r.IntN(len(epithetEnds))]
	})
}
