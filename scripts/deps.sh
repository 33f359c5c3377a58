#!/usr/bin/env bash
# Installs what trapnet's build, tests, demo and benchmarks need on Debian 12.
# Idempotent: packages already present are not fetched again.
#
#   scripts/deps.sh test    # what `make test` needs (mosquitto, Arm NN, OpenCV -dev for gocv)
#   scripts/deps.sh demo    # what `make demo` needs (nothing beyond Go today)
#   scripts/deps.sh bench   # test + PyTorch CPU and Node's LiteRT.js for the peer measurements
set -euo pipefail

what=${1:-test}

# OpenCV 4.6 -dev packages gocv v0.31.0 needs (see shared notes: the minimal set).
opencv_dev="libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-videoio-dev
  libopencv-highgui-dev libopencv-video-dev libopencv-objdetect-dev libopencv-calib3d-dev
  libopencv-features2d-dev libopencv-dnn-dev libopencv-photo-dev libopencv-flann-dev
  libopencv-ml-dev libopencv-stitching-dev"

case "$what" in
demo) pkgs="" ;;
test) pkgs="mosquitto python3-pyarmnn pkg-config $opencv_dev" ;;
bench)
	pkgs="mosquitto python3-pyarmnn python3-torch"
	# LiteRT.js runs in Node: use the machine's Node/npm if there is one
	# (a Node installed outside apt conflicts with Debian's npm package).
	command -v npm >/dev/null || pkgs="$pkgs nodejs npm"
	;;
*) echo "usage: $0 test|demo|bench" >&2; exit 2 ;;
esac

if ! command -v go >/dev/null; then
	echo "deps: Go is not on PATH (install Go 1.26 first, see README)" >&2
	exit 1
fi

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	echo "deps: installing:$missing"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
fi
go mod download
