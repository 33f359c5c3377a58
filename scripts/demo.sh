#!/usr/bin/env bash
# make demo: the whole trapnet loop end to end on embedded defaults, on the CPU.
# Stages whose outputs exist are reused; FRESH=1 redoes all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${DEMO_DIR:-demo}
BIN=bin
export GOMLX_BACKEND=${GOMLX_BACKEND:-go:parallelism=-1}
export GOMLX_NO_AUTO_INSTALL=1
[ "${FRESH:-}" = 1 ] && rm -rf "$OUT"
mkdir -p "$OUT"
start=$(date +%s)

last=$start
stage() { # prints the time the previous stage took, then the new header
	local now; now=$(date +%s)
	[ "$1" != 0/7 ] && printf '(stage took %d s; %d s so far)\n' $((now - last)) $((now - start))
	last=$now
	printf '\n\033[1m==== [%s] %s ====\033[0m\n' "$1" "$2"
}
done_file() { [ -e "$1" ] && echo "(reusing $1; make demo FRESH=1 to redo)"; }

stage 0/7 "build trainer, agent and the demo harness"
go build -o "$BIN/" ./cmd/trainer ./cmd/agent ./cmd/trapdemo ./cmd/hub

stage 1/7 "synthetic BIOSCAN-5M-layout dataset and trap frames"
if ! done_file "$OUT/data/.done"; then
	rm -rf "$OUT/data"
	"$BIN/trainer" synth --out "$OUT/data" --species 10 --images 1600 --seed 7 \
		--frames 6 --frame-min 8 --frame-max 14 --frame-seen-only
	touch "$OUT/data/.done"
fi
"$BIN/trainer" data check --data "$OUT/data" --rank species

stage 2/7 "architecture search (DARTS, bi-level, pure-Go backend; tiny on purpose: 16x16 images, C=4, 3 cells, 2 nodes)"
echo "A real search runs on a GPU with --backend xla (see README): this one is sized to finish in a few minutes on 2 cores."
if ! done_file "$OUT/search/genotype.json"; then
	"$BIN/trainer" search --data "$OUT/data" --out "$OUT/search" --size 16 --channels 4 --cells 3 --nodes 2 \
		--batch 16 --epochs 3 --seed 7
fi
python3 -c 'import json,sys; g=json.load(open(sys.argv[1])); print(json.dumps({k: g[k] for k in ("normal","reduce") if k in g}, indent=1))' "$OUT/search/genotype.json" 2>/dev/null || cat "$OUT/search/genotype.json" | head -30

stage 3/7 "train the derived sparse net with metadata fusion, then evaluate on the test split"
if ! done_file "$OUT/run/model/graph.json"; then
	"$BIN/trainer" train --data "$OUT/data" --genotype "$OUT/search/genotype.json" --out "$OUT/run" \
		--size 32 --cells 3 --channels 8 --epochs 8 --batch 32 --seed 7
fi
"$BIN/trainer" eval --data "$OUT/data" --model "$OUT/run/model" --split test

stage 4/7 "int8 post-training quantisation to model.tflite"
if ! done_file "$OUT/model.tflite"; then
	"$BIN/trainer" quantize --model "$OUT/run/model" --data "$OUT/data" --out "$OUT/model.tflite" --calib-batches 8
fi

stage 5/7 "the trap: embedded MQTT broker, agent on a watched folder, operator and hub subscribed"
rm -rf "$OUT/agent" "$OUT/hub"
mkdir -p "$OUT/agent" "$OUT/hub"
"$BIN/trapdemo" --agent "$BIN/agent" --model "$OUT/model.tflite" --frames "$OUT/data/frames" --work "$OUT/agent" \
	--hub-db "$OUT/hub/hub.db"

stage 6/7 "summary"
cat <<MSG
Finished in $(( $(date +%s) - start )) s. Files:
  dataset        $OUT/data (BIOSCAN-5M layout; frames in $OUT/data/frames)
  search         $OUT/search/genotype.json, search.jsonl, alphas.png, genotype.png, alpha_trajectories.png
  model          $OUT/run/model (eval plots and metrics.json under $OUT/run/eval-test)
  deployable     $OUT/model.tflite (int8; labels, metadata schema and preprocessing inside)
  agent          $OUT/agent (agent.yaml, agent.log, outbox.db, uncertain/)
  hub            $OUT/hub (hub.db: what the trap published, crops included; hub.yaml, users)

Next steps:
  - a real broker and camera: copy deploy/agent.yaml, set mqtt.broker (tls://host:8883, username,
    password_file, ca_file) and capture (trigger: interval with a snapshot, or files with watch_dir;
    build with -tags gocv on the device for a V4L2/RTSP camera), then: agent run --config agent.yaml
  - the GPU search: see "GPU search" in README.md (trainer search --backend xla ...).
MSG

stage 7/7 "the hub: web page on the demo's data"
HUB_ADDR=${HUB_ADDR:-127.0.0.1:8080}
# Port taken (another hub?): any free loopback port; the hub prints its URL.
if (exec 3<>"/dev/tcp/${HUB_ADDR%:*}/${HUB_ADDR##*:}") 2>/dev/null; then HUB_ADDR=127.0.0.1:0; fi
cat >"$OUT/hub/hub.yaml" <<YAML
listen: $HUB_ADDR
database: {driver: sqlite, path: $OUT/hub/hub.db}
users_file: $OUT/hub/users
YAML
echo "demo-password" | "$BIN/hub" passwd --users "$OUT/hub/users" demo 2>/dev/null
"$BIN/hub" export dwca --config "$OUT/hub/hub.yaml" --out "$OUT/hub/dwca.zip"
"$BIN/hub" export csv --config "$OUT/hub/hub.yaml" --out "$OUT/hub/detections.csv"
echo "exports: $OUT/hub/dwca.zip (Darwin Core Archive, checked), $OUT/hub/detections.csv"
if [ "${DEMO_HUB:-1}" = 0 ]; then
	echo "hub not started (DEMO_HUB=0); start it with: $BIN/hub run --config $OUT/hub/hub.yaml"
	exit 0
fi
echo "hub: open the URL below and log in as demo / demo-password (Ctrl-C stops it)"
exec "$BIN/hub" run --config "$OUT/hub/hub.yaml"
