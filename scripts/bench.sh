#!/usr/bin/env bash
# make bench: runs every trapnet benchmark beside its peer measured in the same
# run and writes bench/REPORT.md. Not a test: the figures depend on the
# machine and its load, which the report records.
#
#   scripts/bench.sh [--full]   # --full: all search shapes (slow: 64x64 C=16 needs ~13 GB)
set -uo pipefail
cd "$(dirname "$0")/.."
full=0
[ "${1:-}" = --full ] && full=1
export GOMLX_BACKEND=${GOMLX_BACKEND:-go:parallelism=-1} GOMLX_NO_AUTO_INSTALL=1
report=bench/REPORT.md
mkdir -p bench/out
litert=bench/out/litert # installed and proven by scripts/deps.sh bench (make bench runs it)
[ -d "$litert/node_modules/@litertjs/core" ] || echo "bench: no LiteRT.js in $litert (run scripts/deps.sh bench); the interpreter runs without its peer" >&2

section() { # title, command...
	local title=$1; shift
	echo "== $title" >&2
	{
		printf '\n## %s\n\n`%s`\n\n```\n' "$title" "$*"
		"$@" 2>&1 | grep -v -E '^\s*$|%\|' | tail -40
		printf '```\n'
	} >>"$report.tmp"
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
{
	echo "# trapnet benchmark report"
	echo
	echo "Written by \`make bench\` on $(date -u +%FT%TZ)."
	echo "Machine: $cpu, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(go version | cut -d' ' -f3-4)."
	echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "Each figure stands beside its peer measured in the same run; ratios are ours / peer unless a line says otherwise."
} >"$report.tmp"

if [ $full = 1 ]; then
	section "Search pair-step (arch + weight): GoMLX pure-Go vs PyTorch CPU, 2 threads" bench/search/run.sh
else
	section "Search pair-step (arch + weight): GoMLX pure-Go vs PyTorch CPU, 2 threads (quick shapes)" bench/search/run.sh --quick
fi
section "Derived-net training: GoMLX pure-Go vs PyTorch CPU, 2 threads" bench/train/run.sh --size 32 --channels 8 --cells 6 --batch 32 --steps 3
if [ -d "$litert/node_modules/@litertjs/core" ]; then
	section ".tflite int8 interpreter (pure Go) vs LiteRT.js (wasm) on the same model" go run ./bench/tflite -n 30 -litert "$litert"
	section ".tflite int8 interpreter with GOEXPERIMENT=simd (AVX2) vs LiteRT.js" env GOEXPERIMENT=simd go run ./bench/tflite -n 30 -litert "$litert"
else
	section ".tflite int8 interpreter (pure Go)" go run ./bench/tflite -n 30
fi
section "Dataset: JPEG 256x256 decode + resize to 64x64 (target >= 800 images/s)" go test -run '^$' -bench . -benchtime 2s ./dataset ./preprocess
section "Detection on 4096x2160 synthetic trap frames" go run ./bench/detect -synth 6
if [ -d ../shared/realframes ]; then
	model=()
	[ -f demo/model.tflite ] && model=(-model demo/model.tflite)
	section "Detection on real trap frames (../shared/realframes, hand-annotated)" go run ./bench/detect -real ../shared/realframes "${model[@]}"
else
	echo "bench: no ../shared/realframes beside the repository: real-frame detection not measured" >&2
fi
section "Agent: per-frame detect + classify + publish, capture-to-PUBACK, RSS, arm64 binary size" go run ./bench/agent -frames 5
section "Outbox: durable bbolt commits/s (fsync per commit) vs batched" go test -run '^$' -bench . -benchtime 2s ./agent/outbox
echo >>"$report.tmp"
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)." >>"$report.tmp"
# GPU figures come from bench/gpu/run.sh on a GPU machine, kept by hand.
[ -f bench/gpu/RESULTS.md ] && { echo; cat bench/gpu/RESULTS.md; } >>"$report.tmp"
mv "$report.tmp" "$report"
echo "bench: wrote $report" >&2
