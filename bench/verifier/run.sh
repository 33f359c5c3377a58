#!/bin/sh
# bench/verifier/run.sh [REAL] [OUT]: the sticky cards' verifier, built and
# scored on cards it has not seen (see main.go). Crops from REAL (default
# ../shared/realframes) and bench/detect/sticky-large.tsv; one net trained
# per held-out day and one on every day; the held-out ones scored. The
# verifier to use (agent model.verifier) is OUT/runs/all/model.tflite.
# About 20 minutes on 2 cores.
set -eu
real=${1:-../shared/realframes}
out=${2:-/tmp/trapnet-verifier}
mkdir -p "$out"
go build -o "$out/trainer" ./cmd/trainer
folds=$(go run ./bench/verifier crops -real "$real" -out "$out/crops")
for d in $folds; do
	echo "verifier: training without day $d" >&2
	"$out/trainer" train --data "$out/crops/$d" --genotype bench/verifier/genotype.json --out "$out/runs/$d" \
		--size 32 --modality image --epochs 25 --cells 3 --channels 8 --batch 32 --seed 1 --transpose --jitter 0.2 --log-level warn
	"$out/trainer" quantize --model "$out/runs/$d/model" --data "$out/crops/$d" --out "$out/runs/$d/model.tflite" --log-level warn
done
go run ./bench/verifier score -real "$real" -runs "$out/runs" -curve 0.9,0.98,0.995
