#!/usr/bin/env bash
# Training throughput of trapnet's derived network: GoMLX (pure-Go backend
# unless --backend says otherwise) vs the same network in PyTorch
# (torch_derived.py builds it from the exported ir graph; CPU, 2 threads), on
# random data, one process each. Prints images/s of both and the ratio.
#
#   bench/train/run.sh [--size 32] [--channels 8] [--cells 6] [--batch 32]
#                      [--steps 5] [--backend go|xla|auto]
#
# Needs Debian's python3-torch (apt-get install python3-torch). First checks
# that the PyTorch twin reproduces the ir executor's logits. Not a test:
# timings depend on the machine's load.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=32 channels=8 cells=6 batch=32 steps=5 backend=go
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift ;;
    --channels) channels="$2"; shift ;;
    --cells) cells="$2"; shift ;;
    --batch) batch="$2"; shift ;;
    --steps) steps="$2"; shift ;;
    --backend) backend="$2"; shift ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
  shift
done
out=bench/out/train
mkdir -p "$out"
export GOMLX_NO_AUTO_INSTALL=1
go build -o "$out/bench-train" ./bench/train
py=/usr/bin/python3
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# derived net: ${size}x${size}, C=$channels, $cells cells, batch $batch, fusion, $steps timed steps"
g=$("$out/bench-train" --size "$size" --channels "$channels" --cells "$cells" --batch "$batch" \
  --steps "$steps" --backend "$backend" --dump "$out/graph" 2>/dev/null | tail -1)
$py bench/train/torch_derived.py --graph "$out/graph" --check "$out/graph/check_logits.json" \
  --check-input "$out/graph/check_input.json" >/dev/null || { echo "PyTorch twin does not match the ir graph" >&2; exit 1; }
t=$($py bench/train/torch_derived.py --graph "$out/graph" --batch "$batch" --steps "$steps" --threads 2 | tail -1)
echo "$g" >>"$out/results.jsonl"
echo "$t" >>"$out/results.jsonl"
$py - "$g" "$t" <<'PY'
import json, sys
g, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("%-22s %10s %10s" % ("engine", "s/step", "images/s"))
for r in (g, t):
    print("%-22s %10.3f %10.1f" % (r["engine"], r["s_per_step"], r["images_per_sec"]))
print("ratio gomlx/pytorch images/s: %.2f (higher is better for GoMLX)" % (g["images_per_sec"] / t["images_per_sec"]))
PY
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
