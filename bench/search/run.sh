#!/usr/bin/env bash
# Times one search pair step (architecture step + weight step) of the trapnet
# supernet (GoMLX, pure-Go engine unless --backend says otherwise) and of its
# PyTorch twin (torch_supernet.py, CPU, 2 threads) on the same shapes, one
# process per measurement, and prints s/pair, peak RSS and the ratio.
#
#   bench/search/run.sh [--quick] [--steps N] [--backend go|xla|auto]
#
# Shapes: 32x32 and 64x64, C = 8 and 16, 3 cells, 2 and 4 nodes, batch 32.
# --quick: 32x32, C = 8 and 16, 2 nodes. Needs Debian's python3-torch
# (apt-get install python3-torch). Not a test: timings depend on the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=0 steps=2 backend=go
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --steps) steps="$2"; shift ;;
    --backend) backend="$2"; shift ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p bench/search/out
go build -o bench/search/out/bench-search ./bench/search
py=/usr/bin/python3
if [ $quick = 1 ]; then
  configs="32:8:2 32:16:2"
else
  configs="32:8:2 32:16:2 32:8:4 32:16:4 64:8:2 64:16:2 64:8:4 64:16:4"
fi
echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-5s %-3s %-5s %10s %10s %7s %10s %10s %7s %7s %7s\n" size C nodes go_s/pair go_cpu_s go_MB torch_s torch_cpu_s torch_MB ratio cpu_rat
for c in $configs; do
  IFS=: read -r size ch nodes <<<"$c"
  args=(--size "$size" --channels "$ch" --nodes "$nodes" --cells 3 --batch 32 --steps "$steps" --warmup 1)
  g=$(bench/search/out/bench-search "${args[@]}" --backend "$backend" 2>/dev/null | tail -1 || true)
  t=$($py bench/search/torch_supernet.py "${args[@]}" --threads 2 | tail -1 || true)
  if [ -z "$g" ] || [ -z "$t" ]; then # e.g. killed for memory: report it and go on
    printf "%-5s %-3s %-5s failed: go=%s torch=%s\n" "$size" "$ch" "$nodes" "${g:+ok}" "${t:+ok}"
    continue
  fi
  echo "$g" >>bench/search/out/results.jsonl
  echo "$t" >>bench/search/out/results.jsonl
  $py - "$g" "$t" "$size" "$ch" "$nodes" <<'PY'
import json, sys
g, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("%-5s %-3s %-5s %10.2f %10.2f %7.0f %10.2f %10.2f %7.0f %7.2f %7.2f" % (sys.argv[3], sys.argv[4], sys.argv[5],
      g["s_per_pair"], g["cpu_s_per_pair"], g["peak_rss_mb"], t["s_per_pair"], t["cpu_s_per_pair"], t["peak_rss_mb"],
      g["s_per_pair"] / t["s_per_pair"], g["cpu_s_per_pair"] / t["cpu_s_per_pair"]))
PY
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg); ratio = gomlx / pytorch wall time, cpu_rat = same for CPU time (lower is better)"
