//go:build goexperiment.simd && amd64

package kernels

import "simd/archsimd"

// SIMD reports whether the int8 dot products use archsimd (AVX2).
var SIMD = archsimd.X86.AVX2()

// DotI8x4 returns the dot products of x with four filters of len(x). With
// AVX2 it sign-extends 16 int8 values to int16 and multiplies-adds pairs into
// int32 lanes (VPMADDWD); products of int8 values cannot overflow there, and
// the int32 sums wrap exactly like the plain-Go version.
func DotI8x4(x, a, b, c, d []int8) (s0, s1, s2, s3 int32) {
	n := len(x)
	if !SIMD || n < 16 {
		return dotI8x4Go(x, a, b, c, d)
	}
	a, b, c, d = a[:n], b[:n], c[:n], d[:n]
	var acc0, acc1, acc2, acc3 archsimd.Int32x8
	i := 0
	for ; i+16 <= n; i += 16 {
		xv := archsimd.LoadInt8x16Slice(x[i : i+16]).ExtendToInt16()
		acc0 = acc0.Add(xv.DotProductPairs(archsimd.LoadInt8x16Slice(a[i : i+16]).ExtendToInt16()))
		acc1 = acc1.Add(xv.DotProductPairs(archsimd.LoadInt8x16Slice(b[i : i+16]).ExtendToInt16()))
		acc2 = acc2.Add(xv.DotProductPairs(archsimd.LoadInt8x16Slice(c[i : i+16]).ExtendToInt16()))
		acc3 = acc3.Add(xv.DotProductPairs(archsimd.LoadInt8x16Slice(d[i : i+16]).ExtendToInt16()))
	}
	s0, s1, s2, s3 = dotI8x4Go(x[i:], a[i:], b[i:], c[i:], d[i:])
	return s0 + hsum(acc0), s1 + hsum(acc1), s2 + hsum(acc2), s3 + hsum(acc3)
}

func hsum(v archsimd.Int32x8) int32 {
	var t [4]int32
	v.GetLo().Add(v.GetHi()).Store(&t)
	return t[0] + t[1] + t[2] + t[3]
}
