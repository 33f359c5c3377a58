#!/usr/bin/env bash
# Runs the tests that need OpenCV (build tag gocv, gocv v0.31.0 against Debian's
# OpenCV 4.6). Without opencv4.pc (the minimal -dev set), gocv's customenv tag
# takes the flags from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
tagged=$(grep -rl --include='*.go' '^//go:build.*gocv' . | xargs -r -n1 dirname | sort -u)
if [ -z "$tagged" ]; then
	echo "test-gocv: no gocv-tagged packages"
	exit 0
fi
export CGO_CPPFLAGS="-I/usr/include/opencv4"
export CGO_LDFLAGS="$(ls /usr/lib/x86_64-linux-gnu/libopencv_*.so 2>/dev/null | sed -E 's#.*/lib(opencv_[a-z0-9_]+)\.so#-l\1#' | sort -u | tr '\n' ' ')"
if [ -z "$CGO_LDFLAGS" ]; then
	echo "test-gocv: OpenCV libraries not found (scripts/deps.sh test installs them)" >&2
	exit 1
fi
echo "test-gocv: go test -tags gocv,customenv $tagged"
go test -count=1 -tags gocv,customenv $tagged
