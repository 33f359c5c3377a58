#!/usr/bin/env bash
# Runs the tests that need OpenCV (build tag gocv, gocv v0.31.0 against Debian's
# OpenCV 4.6). Without opencv4.pc (the minimal -dev set), gocv's customenv tag
# takes the flags from the environment (scripts/opencv-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/opencv-env.sh
if [ -z "$gocv_pkgs" ]; then
	echo "test-gocv: no gocv-tagged packages"
	exit 0
fi
if [ -z "$CGO_LDFLAGS" ]; then
	echo "test-gocv: OpenCV libraries not found (scripts/deps.sh test installs them)" >&2
	exit 1
fi
echo "test-gocv: go test -tags gocv,customenv $gocv_pkgs"
go test -count=1 -tags gocv,customenv $gocv_pkgs
