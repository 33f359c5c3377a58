#!/usr/bin/env bash
# Installs what trapnet's build, tests, demo and benchmarks need on Debian 12,
# then proves that each runtime the tests use works, failing with the name of
# the package to install. Idempotent: packages already present are not
# fetched again; the proofs run every time (seconds once Go's cache is warm).
#
#   scripts/deps.sh test    # what `make test` needs: mosquitto, Arm NN with its CpuRef backend, OpenCV -dev for gocv,
#                           # PostgreSQL's server and chromium (the hub's database and browser tests)
#   scripts/deps.sh demo    # what `make demo` needs (nothing beyond Go today)
#   scripts/deps.sh bench   # mosquitto, Arm NN, PyTorch CPU and Node's LiteRT.js for the peer measurements
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-test}

# OpenCV 4.6 -dev packages gocv v0.31.0 needs (see shared notes: the minimal set).
opencv_dev="libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-videoio-dev
  libopencv-highgui-dev libopencv-video-dev libopencv-objdetect-dev libopencv-calib3d-dev
  libopencv-features2d-dev libopencv-dnn-dev libopencv-photo-dev libopencv-flann-dev
  libopencv-ml-dev libopencv-stitching-dev"
# python3-pyarmnn only recommends its CpuRef backend: without it Arm NN loads
# but runs nothing ("None of the preferred backends [CpuRef ] are supported").
armnn="python3-pyarmnn libarmnn-cpuref-backend22"
# LiteRT.js (TFLite compiled to wasm) for `make bench`, installed with npm here.
litert_dir=bench/out/litert litert_pkg=@litertjs/core@2.5.3

case "$what" in
demo) pkgs="" ;;
test) pkgs="mosquitto $armnn pkg-config g++ $opencv_dev postgresql chromium" ;;
bench)
	pkgs="mosquitto $armnn python3-torch"
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

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
missing=""
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	echo "deps: installing:$missing"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
fi
for p in $pkgs; do
	installed "$p" || { echo "deps: package $p is not installed (apt-get install $p)" >&2; exit 1; }
done
go mod download

# fail RUNTIME PACKAGES: the runtime does not work although its packages are installed.
fail() {
	echo "deps: $1 does not work; it needs the package(s): $2 (apt-get install --reinstall $2)" >&2
	exit 1
}

prove_armnn() {
	local out py='import sys
import pyarmnn as ann
runtime = ann.IRuntime(ann.CreationOptions())
backends = [b.Get() for b in runtime.GetDeviceSpec().GetSupportedBackends()]
if "CpuRef" not in backends:
    sys.exit("Arm NN backends %s lack CpuRef" % backends)'
	out=$(/usr/bin/python3 -c "$py" 2>&1) || { echo "$out" | grep -v "Skipped I" >&2; fail "Arm NN's CpuRef backend" "libarmnn-cpuref-backend22"; }
	go run ./scripts/runtimecheck armnn || fail "Arm NN (a tiny model)" "$armnn"
}

prove_mosquitto() {
	local port dir pid ok=0
	port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	dir=$(mktemp -d)
	printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n' "$port" >"$dir/mosquitto.conf"
	command -v mosquitto_passwd >/dev/null || fail "mosquitto_passwd" "mosquitto"
	/usr/sbin/mosquitto -c "$dir/mosquitto.conf" 2>"$dir/log" &
	pid=$!
	for _ in $(seq 50); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then ok=1; break; fi
		sleep 0.1
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	[ $ok = 1 ] || { cat "$dir/log" >&2; rm -rf "$dir"; fail "mosquitto (listening on 127.0.0.1:$port)" "mosquitto"; }
	rm -rf "$dir"
	echo "deps: mosquitto listened on 127.0.0.1:$port"
}

prove_opencv() {
	. scripts/opencv-env.sh
	[ -n "$CGO_LDFLAGS" ] && [ -f /usr/include/opencv4/opencv2/core.hpp ] || fail "OpenCV (headers and libraries)" "$(echo $opencv_dev)"
	[ -z "$gocv_pkgs" ] && return
	# Compile and link the gocv-tagged tests (running none): the build test-gocv.sh does.
	go test -count=1 -run '^$' -tags gocv,customenv $gocv_pkgs >/dev/null || fail "the gocv build against OpenCV" "g++ $(echo $opencv_dev)"
	echo "deps: gocv builds against OpenCV"
}

# PostgreSQL's server as the hub's test starts it: a cluster in a temporary
# folder, on 127.0.0.1 only (as user postgres when root: it refuses root).
prove_postgres() {
	local bin dir port as="" ok=0
	bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -n "$bin" ] && [ -x "$bin/initdb" ] || fail "PostgreSQL's initdb" "postgresql"
	dir=$(mktemp -d)
	if [ "$(id -u)" = 0 ]; then chmod 755 "$dir"; chown postgres "$dir"; as="runuser -u postgres --"; fi
	port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	if $as "$bin/initdb" -D "$dir/data" -U trapnet --auth=trust --no-sync >"$dir/initdb.log" 2>&1 &&
		$as "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" -o "-p $port -h 127.0.0.1 -k $dir" start >/dev/null 2>&1; then
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && ok=1
		$as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	fi
	[ $ok = 1 ] || { cat "$dir/initdb.log" "$dir/log" >&2 2>/dev/null; rm -rf "$dir"; fail "the PostgreSQL server (initdb, pg_ctl start on 127.0.0.1:$port)" "postgresql"; }
	rm -rf "$dir"
	echo "deps: PostgreSQL started on 127.0.0.1:$port"
}

# chromium headless renders a page (the hub's browser test drives it the same way).
prove_chromium() {
	local out
	command -v chromium >/dev/null || fail "chromium" "chromium"
	out=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --dump-dom \
		'data:text/html,<p id="x">trapnet-ok</p>' 2>/dev/null) || true
	case "$out" in *trapnet-ok*) echo "deps: chromium renders headless" ;; *) fail "chromium (headless --dump-dom)" "chromium" ;; esac
}

prove_litert() {
	if [ ! -d "$litert_dir/node_modules/@litertjs/core" ]; then
		mkdir -p "$litert_dir"
		(cd "$litert_dir" && npm install --silent --no-audit --no-fund "$litert_pkg" >/dev/null) || fail "npm install $litert_pkg" "nodejs npm"
	fi
	go run ./scripts/runtimecheck litert "$litert_dir" || fail "LiteRT.js in Node" "nodejs"
}

case "$what" in
test) prove_armnn; prove_mosquitto; prove_opencv; prove_postgres; prove_chromium ;;
bench) prove_armnn; prove_mosquitto; prove_litert ;;
esac
