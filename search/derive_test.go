package search

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// alphaFor builds alpha rows where each edge strongly prefers one op.
func alphaFor(ops []string, nodes int, pref map[[2]int]string, dflt string) [][]float64 {
	rows := make([][]float64, NumEdges(nodes))
	for i := range nodes {
		for j := 0; j < i+2; j++ {
			op := dflt
			if p, ok := pref[[2]int{i, j}]; ok {
				op = p
			}
			row := make([]float64, len(ops))
			for k, name := range ops {
				if name == op {
					row[k] = 3
				}
			}
			rows[EdgeRow(i, j)] = row
		}
	}
	return rows
}

func TestDerive(t *testing.T) {
	ops := OpNames
	cases := []struct {
		name       string
		pref       map[[2]int]string
		dflt       string
		opt        DeriveOptions
		wantNormal int
		wantSkips  int
		wantConcat []int
	}{
		{"zero-dominated dropped", map[[2]int]string{{0, 0}: OpSepConv3, {1, 2}: OpDilConv3}, OpZero,
			DefaultDeriveOptions(), 2, 0, []int{2, 3}},
		{"all zero keeps one edge", nil, OpZero, DefaultDeriveOptions(), 1, 1, []int{2}},
		{"skip cap 2", nil, OpSkip, DefaultDeriveOptions(), 4, 2, []int{2, 3}},
		{"skip cap off", nil, OpSkip, DeriveOptions{TopK: 2, SkipCap: -1}, 4, 4, []int{2, 3}},
		{"top-1", nil, OpSepConv5, DeriveOptions{TopK: 1, SkipCap: 2}, 2, 0, []int{2, 3}},
		{"keep zero edges (ties pick skip, capped)", nil, OpZero, DeriveOptions{TopK: 2, SkipCap: 2, KeepZero: true}, 4, 2, []int{2, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := alphaFor(ops, 2, c.pref, c.dflt)
			g, err := Derive(ops, 2, a, a, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			skips := 0
			for _, e := range g.Normal {
				if e.Op == OpSkip {
					skips++
				}
				if e.Op == OpZero {
					t.Errorf("zero op kept: %+v", e)
				}
			}
			if len(g.Normal) != c.wantNormal || skips != c.wantSkips || !reflect.DeepEqual(g.NormalConcat, c.wantConcat) {
				t.Errorf("normal %+v concat %v: want %d edges, %d skips, concat %v", g.Normal, g.NormalConcat, c.wantNormal, c.wantSkips, c.wantConcat)
			}
			if len(g.Normal)+len(g.DroppedNormal) != NumEdges(2) {
				t.Errorf("kept %d + dropped %d != %d", len(g.Normal), len(g.DroppedNormal), NumEdges(2))
			}
		})
	}
}

func TestGenotypeJSONRoundTrip(t *testing.T) {
	a := alphaFor(OpNames, 3, map[[2]int]string{{0, 1}: OpMaxPool3}, OpSepConv3)
	g, err := Derive(OpNames, 3, a, a, DefaultDeriveOptions())
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/genotype.json"
	if err := g.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadGenotype(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, back) {
		t.Errorf("round trip differs:\n%+v\n%+v", g, back)
	}
}

func TestParseGenotypeErrors(t *testing.T) {
	cases := []struct{ name, json, want string }{
		{"unknown op", `{"nodes":1,"normal":[{"op":"conv_9x9","input":0,"node":0}],"normal_concat":[2],"reduce":[{"op":"skip_connect","input":0,"node":0}],"reduce_concat":[2]}`, `unknown op "conv_9x9"`},
		{"bad input", `{"nodes":1,"normal":[{"op":"skip_connect","input":2,"node":0}],"normal_concat":[2],"reduce":[{"op":"skip_connect","input":0,"node":0}],"reduce_concat":[2]}`, "input 2 invalid for node 0"},
		{"bad concat", `{"nodes":1,"normal":[{"op":"skip_connect","input":0,"node":0}],"normal_concat":[5],"reduce":[{"op":"skip_connect","input":0,"node":0}],"reduce_concat":[2]}`, "normal_concat[0] = 5"},
		{"darts form ok", `{"nodes":1,"normal":[["sep_conv_3x3",0],["skip_connect",1]],"normal_concat":[2],"reduce":[["max_pool_3x3",0],["max_pool_3x3",1]],"reduce_concat":[2]}`, ""},
		{"not json", `{`, "genotype:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := ParseGenotype([]byte(c.json))
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(g)
				if !strings.Contains(string(b), `"op":"sep_conv_3x3","input":0,"node":0`) {
					t.Errorf("DARTS form not converted: %s", b)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}
