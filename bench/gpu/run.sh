#!/usr/bin/env bash
# GPU benchmark of trapnet's XLA/PJRT engine against PyTorch eager CUDA on the
# same GPU, in one go (issue #17). Runs from the folder bench/gpu/build.sh
# fills (binaries built with -tags xla, the PyTorch twins, genotype.json):
#
#   DIR/run.sh [--cpu-smoke] 2>&1 | tee log.txt
#
# Steps, most important first; each is bounded by `timeout`, and a step is
# skipped when the overall budget (GPU_BUDGET_S, default 380 s) has less
# left than it needs:
#   1. search pair step, 64x64, C=16, 4 nodes: PyTorch (cuda) then GoMLX XLA
#      (--backend auto --pjrt-plugin PLUGIN); first_steps_s of the XLA run is
#      the first compile (both graphs) plus one pair step
#   2. the same at 32x32, C=16, 2 nodes; XLA picked by --backend auto from
#      GOMLX_BACKEND=xla:PLUGIN alone (no flag)
#   3. derived-net training step, 64x64, C=16, 8 cells, batch 64, genotype.json
#      (DARTS V2 cells): bench/train on XLA vs its PyTorch twin
#      torch_derived.py (checked first against the exported graph, CPU)
#   4. PyTorch at 64x64/4 nodes again with cudnn.benchmark on
#   5. `trainer train` (3 epochs, synthetic data made by `trainer synth`),
#      --backend auto with GOMLX_BACKEND: images/s per epoch
# Results: $OUT (or DIR/out)/results.jsonl, one JSON line per step, and a
# summary table at the end.
#
# Needs: python3 with torch (CUDA) and JAX's CUDA PJRT plugin
# (jax-cuda13-plugin/jax-cuda13-pjrt); PJRT_PLUGIN=/abs/plugin.so overrides
# the plugin search. --cpu-smoke runs every step on the CPU at tiny shapes
# (pure-Go engine, torch on CPU) to test the script without a GPU.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/out}
mkdir -p "$out"
res=$out/results.jsonl
: >"$res"
work=${WORK:-/tmp/trapnet-gpu}
rm -rf "$work"
mkdir -p "$work"
budget=${GPU_BUDGET_S:-380}
smoke=0
[ "${1:-}" = --cpu-smoke ] && smoke=1
py=${PYTHON:-python3}
start=$(date +%s)
export PYTHONUNBUFFERED=1 GOMLX_NO_AUTO_INSTALL=1

elapsed() { echo $(($(date +%s) - start)); }

# step NAME CAP_S NEED_S CMD...: runs CMD under timeout min(CAP, left) unless
# less than NEED seconds are left; its stdout goes to $work/NAME.out (and the
# log), and its last JSON line is appended to results.jsonl with "step": NAME.
step() {
  local name=$1 cap=$2 need=$3
  shift 3
  local left=$((budget - $(elapsed)))
  if [ "$left" -lt "$need" ]; then
    echo "## SKIP $name: ${left}s of the budget left, needs ~${need}s" >&2
    echo "{\"step\": \"$name\", \"skipped\": true}" >>"$res"
    return 1
  fi
  local t=$((cap < left ? cap : left))
  echo "## $name: start at +$(elapsed)s, timeout ${t}s: $*" >&2
  local t0 rc
  t0=$(date +%s.%N)
  timeout -k 5 "$t" "$@" | tee "$work/$name.out"
  rc=$?
  local dt
  dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  echo "## $name: rc=$rc after ${dt}s (at +$(elapsed)s)" >&2
  local line
  line=$(grep '^{' "$work/$name.out" | tail -1)
  $py - "$name" "$rc" "$dt" "$line" >>"$res" <<'PY'
import json, sys
name, rc, dt, line = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
try:
    d = json.loads(line) if line else {}
except ValueError:
    d = {"unparsed": line}
d.update(step=name, rc=rc, wall_s=dt)
print(json.dumps(d))
PY
  return "$rc"
}

echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores; budget ${budget}s; smoke=$smoke"
cat "$here/commit.txt" 2>/dev/null | sed 's/^/# built from /'
nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv,noheader 2>&1 | sed 's/^/# gpu: /'

for b in bench-search bench-train trainer-xla; do
  gunzip -c "$here/$b.gz" >"$work/$b" && chmod +x "$work/$b" || { echo "missing $here/$b.gz" >&2; exit 1; }
done
bs=$work/bench-search bt=$work/bench-train tr=$work/trainer-xla

if [ $smoke = 1 ]; then
  dev=cpu plugin="" big="--size 16 --channels 4 --nodes 2" small="--size 8 --channels 4 --nodes 1"
  steps=1 tsteps=1 tshape="--size 16 --channels 4 --cells 3 --batch 8" xla=()
  export GOMLX_BACKEND=go:parallelism=-1
  nimg=800 trshape="--size 16 --cells 3 --channels 4 --batch 16"
else
  dev=cuda
  plugin=${PJRT_PLUGIN:-}
  if [ -z "$plugin" ]; then
    d=$($py -c "import importlib.util as u; print(u.find_spec('jax_plugins.xla_cuda13').submodule_search_locations[0])" 2>/dev/null)
    plugin=$d/xla_cuda_plugin.so
  fi
  [ -f "$plugin" ] || { echo "no PJRT CUDA plugin (found '$plugin'); set PJRT_PLUGIN" >&2; exit 1; }
  echo "# plugin: $plugin"
  # Only the autotune flag: trapnet itself sets GOPJRT_CUDA_CHECKS=0 (so no
  # wrong --xla_gpu_cuda_data_dir is added) and never downloads plugins.
  export XLA_FLAGS=${XLA_FLAGS:---xla_gpu_autotune_level=0}
  big="--size 64 --channels 16 --nodes 4" small="--size 32 --channels 16 --nodes 2"
  steps=20 tsteps=20 tshape="--size 64 --channels 16 --cells 8 --batch 64"
  nimg=3000 trshape="--size 64 --cells 8 --channels 16 --batch 64"
fi
$py -c "import torch; print('# torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.is_available())" 2>&1
common="--cells 3 --batch 32"

# 1. search pair step, the target shape
step torch_search_64_4 90 20 $py "$here/torch_supernet.py" $big $common --warmup 2 --steps $steps --threads 8 --device $dev
if [ $smoke = 1 ]; then
  step xla_search_64_4 200 60 $bs $big $common --warmup 1 --steps $steps --backend auto
else
  step xla_search_64_4 200 60 $bs $big $common --warmup 1 --steps $steps --backend auto --pjrt-plugin "$plugin"
fi

# 2. the smaller shape; the plugin path from the environment only
step torch_search_32_2 60 15 $py "$here/torch_supernet.py" $small $common --warmup 2 --steps $steps --threads 8 --device $dev
if [ $smoke = 1 ]; then
  step xla_search_32_2 120 40 $bs $small $common --warmup 1 --steps $steps --backend auto
else
  GOMLX_BACKEND=xla:$plugin step xla_search_32_2 120 40 $bs $small $common --warmup 1 --steps $steps --backend auto
fi

# 3. derived net training step against its PyTorch twin
if [ $smoke = 1 ]; then
  step xla_train_64 120 40 $bt $tshape --steps $tsteps --backend auto --genotype "$here/genotype.json" --dump "$work/graph"
else
  GOMLX_BACKEND=xla:$plugin step xla_train_64 120 40 $bt $tshape --steps $tsteps --backend auto \
    --genotype "$here/genotype.json" --dump "$work/graph"
fi
if [ -f "$work/graph/graph.json" ]; then
  step torch_train_check 60 10 $py "$here/torch_derived.py" --graph "$work/graph" \
    --check "$work/graph/check_logits.json" --check-input "$work/graph/check_input.json"
  tb=$(echo "$tshape" | awk '{for(i=1;i<NF;i++) if($i=="--batch") print $(i+1)}')
  step torch_train_64 60 10 $py "$here/torch_derived.py" --graph "$work/graph" --batch "$tb" \
    --warmup 2 --steps $tsteps --threads 8 --device $dev
fi

# 4. PyTorch with cudnn.benchmark (its autotuning) at the target shape
[ $smoke = 1 ] || step torch_search_64_4_cudnnbench 60 20 $py "$here/torch_supernet.py" $big $common --warmup 2 \
  --steps $steps --threads 8 --device $dev --cudnn-benchmark

# 5. end-to-end `trainer train` on synthetic data
step synth 40 30 $tr synth --out "$work/syn" --images $nimg
if [ -f "$work/syn/BIOSCAN_5M_Insect_Dataset_metadata.csv" ]; then
  if [ $smoke = 1 ]; then
    step trainer_train 150 60 $tr train --data "$work/syn" --genotype "$here/genotype.json" --out "$work/run" \
      $trshape --epochs 3 --patience 0 --backend auto
  else
    GOMLX_BACKEND=xla:$plugin step trainer_train 150 60 $tr train --data "$work/syn" --genotype "$here/genotype.json" \
      --out "$work/run" $trshape --epochs 3 --patience 0 --backend auto
  fi
  if [ -f "$work/run/train.jsonl" ]; then
    cp "$work/run/train.jsonl" "$out/train_epochs.jsonl"
    cat "$work/run/train.jsonl"
  fi
fi

echo "# done at +$(elapsed)s"
nvidia-smi --query-gpu=memory.used,temperature.gpu,clocks.sm --format=csv,noheader 2>&1 | sed 's/^/# gpu after: /'
$py - "$res" "$out/train_epochs.jsonl" <<'PY'
import json, os, sys
rows = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    rows[d["step"]] = d
def g(step, key):
    d = rows.get(step) or {}
    return d.get(key) if d.get("rc", 1) == 0 else None
def ms(v): return "-" if v is None else "%.1f ms" % (v * 1e3)
def s(v): return "-" if v is None else "%.1f s" % v
def ratio(a, b): return "-" if a is None or b is None else "%.2fx" % (a / b)
print("\n| measurement | GoMLX XLA | PyTorch | XLA speed-up |")
print("|---|---|---|---|")
for shape, x, t in (("search pair step, 64x64 C=16 4 nodes", "xla_search_64_4", "torch_search_64_4"),
                    ("search pair step, 32x32 C=16 2 nodes", "xla_search_32_2", "torch_search_32_2")):
    xv, tv = g(x, "s_per_pair"), g(t, "s_per_pair")
    print("| %s | %s | %s | %s |" % (shape, ms(xv), ms(tv), ratio(tv, xv)))
    print("| first pair step (compile), %s | %s | %s | |" % (shape.split(", ")[1], s(g(x, "first_steps_s")), s(g(t, "first_steps_s"))))
tb = g("torch_search_64_4_cudnnbench", "s_per_pair")
if tb is not None:
    print("| search pair step 64x64/4, PyTorch cudnn.benchmark | | %s | %s |" % (ms(tb), ratio(tb, g("xla_search_64_4", "s_per_pair"))))
xi, ti = g("xla_train_64", "images_per_sec"), g("torch_train_64", "images_per_sec")
print("| derived-net train step, images/s | %s | %s | %s |" % ("-" if xi is None else "%.0f" % xi,
      "-" if ti is None else "%.0f" % ti, ratio(xi, ti)))
print("| derived-net first step (compile) | %s | %s | |" % (s(g("xla_train_64", "warmup_s")), s(g("torch_train_64", "warmup_s"))))
chk = g("torch_train_check", "max_rel_err")
print("twin check max_rel_err:", chk)
for k in ("xla_search_64_4", "xla_search_32_2", "xla_train_64"):
    print(k, "backend:", (rows.get(k) or {}).get("backend"))
p = sys.argv[2]
if os.path.exists(p):
    for line in open(p):
        e = json.loads(line)
        print("trainer train epoch %d: %.1f s, %.0f images/s, val macro-F1 %.3f" % (
            e.get("epoch", 0), e.get("seconds", 0), e.get("images_per_sec", 0), e.get("val_macro_f1", 0)))
PY
