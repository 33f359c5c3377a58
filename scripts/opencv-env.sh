# Sourced by scripts/test-gocv.sh and scripts/deps.sh: the cgo flags gocv's
# customenv tag takes from the environment (Debian's minimal OpenCV 4.6 -dev
# set has no opencv4.pc), and the packages tagged gocv.
export CGO_CPPFLAGS="-I/usr/include/opencv4"
CGO_LDFLAGS="$(ls /usr/lib/x86_64-linux-gnu/libopencv_*.so 2>/dev/null | sed -E 's#.*/lib(opencv_[a-z0-9_]+)\.so#-l\1#' | sort -u | tr '\n' ' ')"
export CGO_LDFLAGS
gocv_pkgs=$(grep -rl --include='*.go' '^//go:build.*gocv' . | xargs -r -n1 dirname | sort -u)
