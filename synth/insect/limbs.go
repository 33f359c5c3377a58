package insect

import (
	"image/color"
	"math"

	"github.com/trapnet/trapnet/synth/raster"
)

// drawLegs draws three pairs of jointed legs attached to the thorax.
func drawLegs(pn *raster.Pen, a *Appearance, p Pose, l layout, col color.NRGBA) {
	// Femur angle from the +x (head) axis, and knee bend, per leg pair.
	base := [3][2]float64{{0.9, 0.7}, {1.6, 0.2}, {2.2, -0.45}}
	seg := [3]float64{0.4, 0.42, 0.22}
	for i := 0; i < 3; i++ {
		ax := l.tc + a.ThoraxLen/2*(0.5-0.5*float64(i))
		for side, s := range []float64{1, -1} {
			j := p.Legs[i+3*side]
			f := base[i][0] + j[0]
			knee := base[i][1] + j[1]
			ll := a.LegLen * (1 + 0.15*float64(i))
			p0 := raster.Pt{X: ax, Y: s * a.ThoraxWid * 0.3}
			p1 := raster.Pt{X: p0.X + math.Cos(f)*ll*seg[0], Y: p0.Y + s*math.Sin(f)*ll*seg[0]}
			t := f - knee*1.6
			if i == 2 {
				t = f + 0.5 + j[1]
			}
			p2 := raster.Pt{X: p1.X + math.Cos(t)*ll*seg[1], Y: p1.Y + s*math.Sin(t)*ll*seg[1]}
			t2 := t - 0.3*(1-float64(i))
			p3 := raster.Pt{X: p2.X + math.Cos(t2)*ll*seg[2], Y: p2.Y + s*math.Sin(t2)*ll*seg[2]}
			pn.Polyline([]raster.Pt{p0, p1, p2, p3}, a.LegWid*1.4, a.LegWid*0.6, col)
		}
	}
}

// drawAntennae draws two curved antennae from the front of the head.
func drawAntennae(pn *raster.Pen, a *Appearance, p Pose, l layout, col color.NRGBA) {
	if a.AntLen <= 0 {
		return
	}
	front := l.hc + a.HeadLen*0.35
	const n = 5
	for _, s := range []float64{1, -1} {
		ang := 0.45 + p.AntSpread
		pts := []raster.Pt{{X: front, Y: s * a.HeadWid * 0.15}}
		step := a.AntLen / n
		for k := 0; k < n; k++ {
			ang += 0.12
			q := pts[len(pts)-1]
			pts = append(pts, raster.Pt{X: q.X + math.Cos(ang)*step, Y: q.Y + s*math.Sin(ang)*step})
		}
		pn.Polyline(pts, a.AntWid*1.3, a.AntWid*0.8, col)
		if a.AntClub {
			e := pts[len(pts)-1]
			pn.Ellipse(e.X, e.Y, a.AntWid*2.5, a.AntWid*2, col)
		}
	}
}

// wingOutline returns a wing in its own frame: base at the origin, the
// wing's axis along +x to length wl, half-width profile depending on plan.
func wingOutline(a *Appearance, wl, ww float64) []raster.Pt {
	const n = 18
	hw := func(s float64) float64 {
		if a.Plan == PlanMoth {
			return ww / 2 * (0.35 + 0.75*s) * math.Sqrt(math.Max(0, 1-math.Pow(s, 6)))
		}
		return ww / 2 * math.Sin(math.Pi*math.Pow(s, 0.75))
	}
	var out []raster.Pt
	for i := 0; i <= n; i++ {
		s := float64(i) / n
		out = append(out, raster.Pt{X: wl * s, Y: hw(s) * 1.1}) // leading edge (outer side)
	}
	for i := n - 1; i > 0; i-- {
		s := float64(i) / n
		out = append(out, raster.Pt{X: wl * s, Y: -hw(s) * 0.9})
	}
	return out
}

// drawWings draws wing pairs (hind pair first) with venation and markings.
func drawWings(pn *raster.Pen, a *Appearance, p Pose, l layout, g float64) {
	if a.WingPairs == 0 {
		return
	}
	for pair := a.WingPairs - 1; pair >= 0; pair-- {
		wl, ww := a.WingLen, a.WingWid
		ang := a.WingAngle + p.WingSpread
		if pair == 1 {
			wl, ww = wl*0.78, ww*0.85
			ang += 0.25
		}
		for _, s := range []float64{1, -1} {
			theta := math.Pi - ang
			cs, sn := math.Cos(theta), s*math.Sin(theta)
			bx, by := l.tc+a.ThoraxLen*0.15, s*a.ThoraxWid*0.25
			tr := func(q raster.Pt) raster.Pt {
				y := q.Y * s // leading edge to the outside
				return raster.Pt{X: bx + q.X*cs - y*sn, Y: by + q.X*sn + y*cs}
			}
			outline := wingOutline(a, wl, ww)
			local := make([]raster.Pt, len(outline))
			for i, q := range outline {
				local[i] = tr(q)
			}
			tint := a.WingTint.with(a.WingAlpha, g)
			if a.Plan == PlanBug {
				tint = a.WingTint.with(0.3, g)
			}
			pn.Poly(local, tint)
			if a.Plan == PlanBug { // leathery base, membranous tip
				var buf []raster.Pt
				base := raster.ClipHalf(append([]raster.Pt(nil), outline...), &buf, -1, 0, wl*0.62)
				for i := range base {
					base[i] = tr(base[i])
				}
				pn.Poly(base, a.WingTint.with(a.WingAlpha, g))
			}
			if a.Plan == PlanMoth && a.Pattern == PatternBands && pair == 0 {
				var buf []raster.Pt
				for k := 1; k <= a.PatternCount; k++ {
					xc := wl * float64(k) / float64(a.PatternCount+1)
					w := wl / float64(a.PatternCount+1) * a.PatternWidth / 2
					band := raster.ClipHalf(append([]raster.Pt(nil), outline...), &buf, 1, 0, -(xc - w))
					band = raster.ClipHalf(band, &buf, -1, 0, xc+w)
					for i := range band {
						band[i] = tr(band[i])
					}
					pn.Poly(band, a.Marking.with(0.6, g))
				}
			}
			vein := color.NRGBA{40, 30, 20, uint8(90 + 100*math.Min(1, a.WingAlpha))}
			if a.Plan != PlanMoth {
				for v := 0; v < a.Veins; v++ {
					f := -0.6 + 1.3*float64(v)/float64(max(1, a.Veins-1))
					end := raster.Pt{X: wl * (0.88 - 0.25*math.Abs(f)), Y: f * ww * 0.4}
					mid := raster.Pt{X: end.X * 0.5, Y: end.Y * 0.35}
					pn.Polyline([]raster.Pt{tr(raster.Pt{X: wl * 0.04, Y: 0}), tr(mid), tr(end)}, 0.006, 0.004, vein)
				}
			}
			if a.WingSpot && pair == 0 {
				c := tr(raster.Pt{X: wl * 0.62, Y: ww * 0.28})
				r := ww * 0.12
				if a.Plan == PlanMoth {
					r = ww * 0.16
				}
				pn.Ellipse(c.X, c.Y, r, r, color.NRGBA{25, 20, 15, 200})
			}
		}
	}
}
