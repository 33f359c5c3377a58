#!/usr/bin/env bash
# Prepares the GPU benchmark (bench/gpu/run.sh) in one self-contained folder:
# the -tags xla binaries (stripped, gzipped), the PyTorch twins, the genotype
# and run.sh itself. Build on any x86-64 Linux machine with Go, cgo and gcc
# (glibc >= 2.34 on the GPU machine), then copy or carry DIR to the GPU
# machine and run DIR/run.sh there.
#
#   bench/gpu/build.sh [DIR]      (default: .gpu17; keep it out of git:
#                                  echo /.gpu17/ >> .git/info/exclude)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-.gpu17}
mkdir -p "$dir"
rm -f "$dir"/bench-search* "$dir"/bench-train* "$dir"/trainer-xla*
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=1 go build -tags xla -trimpath -ldflags="-s -w" -o "$tmp/" ./bench/search ./bench/train ./cmd/trainer
mv "$tmp/search" "$dir/bench-search"
mv "$tmp/train" "$dir/bench-train"
mv "$tmp/trainer" "$dir/trainer-xla"
gzip -f -6 "$dir/bench-search" "$dir/bench-train" "$dir/trainer-xla"
cp bench/gpu/run.sh bench/gpu/genotype.json bench/search/torch_supernet.py bench/train/torch_derived.py "$dir/"
git rev-parse HEAD >"$dir/commit.txt" 2>/dev/null || true
git status --porcelain --untracked-files=no >>"$dir/commit.txt" 2>/dev/null || true
du -sh "$dir"
