//go:build !(goexperiment.simd && amd64)

package kernels

// SIMD reports whether the int8 dot products use archsimd (AVX2).
const SIMD = false

// DotI8x4 returns the dot products of x with four filters of len(x).
func DotI8x4(x, a, b, c, d []int8) (s0, s1, s2, s3 int32) {
	return dotI8x4Go(x, a, b, c, d)
}
