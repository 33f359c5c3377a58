package search

import "testing"

func TestPatchIndexSame(t *testing.T) {
	cases := []struct{ n, k, dil, stride, wantOut, wantPad int }{
		{8, 3, 1, 1, 8, 1}, {8, 3, 1, 2, 4, 0}, {8, 5, 2, 2, 4, 3}, {8, 5, 2, 1, 8, 4}, {7, 3, 1, 2, 4, 1}, {8, 1, 1, 2, 4, 0},
	}
	for _, c := range cases {
		out := OutSize(c.n, c.stride)
		if pad := samePadBefore(c.n, c.k, c.dil, c.stride); out != c.wantOut || pad != c.wantPad {
			t.Errorf("%+v: out %d pad_before %d", c, out, pad)
		}
		idx, valid, ho, _ := PatchIndex(c.n, c.n, c.k, c.dil, c.stride)
		if len(idx) != ho*ho*c.k*c.k || len(valid) != ho*ho {
			t.Errorf("%+v: table sizes %d %d", c, len(idx), len(valid))
		}
	}
}
