package trainer

import (
	"strings"
	"testing"

	"github.com/trapnet/trapnet/search"
)

func TestGenotypeWarnings(t *testing.T) {
	decided := &search.Decision{MedianTop: 0.4, MedianMargin: 0.2, Uniform: 0.1, Decided: true}
	undecided := &search.Decision{MedianTop: 0.102, MedianMargin: 0.001, Uniform: 0.1}
	cases := []struct {
		name         string
		searchCells  int
		trainLayers  int
		decision     *search.Decision
		wantContains []string
	}{
		{"fine", 3, 8, decided, nil},
		{"reduce cell never searched", 2, 3, decided, []string{"never trained"}},
		{"no reduction used", 2, 2, decided, nil},
		{"undecided", 3, 3, undecided, []string{"not decided"}},
		{"both", 1, 6, undecided, []string{"never trained", "not decided"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := &search.Genotype{Settings: &search.SearchSettings{Cells: c.searchCells}, Decision: c.decision}
			ws := GenotypeWarnings(g, Arch{Layers: c.trainLayers, Modality: Fusion})
			if len(ws) != len(c.wantContains) {
				t.Fatalf("warnings %q, want %d", ws, len(c.wantContains))
			}
			for i, w := range c.wantContains {
				if !strings.Contains(ws[i], w) {
					t.Errorf("warning %q, want %q", ws[i], w)
				}
			}
		})
	}
}
