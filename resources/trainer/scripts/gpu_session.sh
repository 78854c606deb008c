#!/usr/bin/env bash
# One prepared run for a leased GPU machine (no network, a time limit per command, a cap on what comes back):
#   1. trains for TRAIN_S seconds from a feature-only dataset: a new run of CONFIG (default configs/demo-phonemes.json), or,
#      with SEED_STATE=resources/voices/demo-tacotron2-training, the shipped demo voice where its last chunk stopped
#      (add TRAIN_ARGS="--set batch_size=64": a GPU step costs about the same at 8 and 64),
#   2. packs the resumable state (resources/voices/demo-tacotron2-training layout) and the plots/samples into $OUT,
#   3. times the default config (NVIDIA's Tacotron-2, r=1) at batch 8 and 64, and the demo config, on the GPU.
# Prepare the dataset here first (the audio is too large to travel; its mels and phonemes are not):
#   npx formant phonemize ../shared/data/lj-train --out /tmp/lj-train.phonemes.csv   (../shared is read-only: then
#   copy the lines of the ids in .gpu/features/metadata.csv into .gpu/features/phonemes.csv, or phonemize a copy)
#   python -m formant_trainer features ../shared/data/lj-train --out .gpu/features --config resources/trainer/configs/demo-phonemes.json \
#          --exclude bench/voice.heldout.json
#   (a characters config reads cleaned.csv instead: `npx formant clean-text ../shared/data/lj-train --out
#   /tmp/lj-train.cleaned.csv`, then features … --text-csv /tmp/lj-train.cleaned.csv copies it into .gpu/features)
# Several runs side by side in one lease (a sweep): scripts/gpu_sweep.py.
# then run from the repo root there:  OUT=<dir> bash resources/trainer/scripts/gpu_session.sh
# Back here: cat $OUT/state.tgz.part-* | tar xz  → resources/voices/demo-tacotron2-training/, then demo_voice.sh --export-only.
# To continue a state on the next lease: SEED_STATE=<dir with tacotron2.pt, run.json> (carry it too; mind the upload cap).
set -uo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
trainer="$root/resources/trainer"
OUT="${OUT:-/tmp/formant-gpu-out}"
FEATURES="$(realpath -m "${FEATURES:-$root/.gpu/features}")"
SEED_STATE="${SEED_STATE:+$(realpath -m "$SEED_STATE")}"  # absolute before the cd below
TRAIN_S="${TRAIN_S:-420}"
BENCH_CONFIGS="${BENCH_CONFIGS-default@8 default@64 configs/demo-phonemes.json}"  # set it empty to skip the bench
BENCH_STEPS="${BENCH_STEPS:-5}"
RUN="${RUN:-/tmp/formant-demo-gpu}"
PY="${PY:-python3}"
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
mkdir -p "$OUT"
log="$OUT/log.txt"
t0=$(date +%s)
say() { echo "[gpu-session +$(( $(date +%s) - t0 ))s] $*" | tee -a "$log"; }

cd "$trainer" || exit 1
say "machine"; { nvidia-smi 2>&1 | head -15; "$PY" -m formant_trainer env; } >>"$log" 2>&1

start=(--config "${CONFIG:-configs/demo-phonemes.json}")
if [[ -n "${SEED_STATE:-}" ]]; then  # continue a carried compact state (resources/voices/demo-tacotron2-training layout)
  "$PY" - "$SEED_STATE" "$RUN" >>"$log" 2>&1 <<'EOF'
import os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "scripts"))
import demo_voice
demo_voice.STATE_DIR = os.path.abspath(sys.argv[1])
step = demo_voice.seed_run_dir(sys.argv[2])
if step is None:
    sys.exit(f"SEED_STATE {demo_voice.STATE_DIR}: no tacotron2.pt there (or {sys.argv[2]} already has checkpoints)")
print("seeded at step", step)
EOF
  [[ $? == 0 ]] || { say "seeding failed (see above)"; exit 1; }
  start=(--resume)
fi
say "1. demo voice: ${TRAIN_S}s from $FEATURES (${start[*]})"
timeout $((TRAIN_S + 60)) "$PY" -m formant_trainer train "$FEATURES" --out "$RUN" "${start[@]}" \
  --time-budget "$TRAIN_S" ${TRAIN_ARGS:-} >"$OUT/train.jsonl" 2>>"$log"
say "train exit $?; $(grep -c '"event": "step"' "$OUT/train.jsonl") step lines; last: $(grep '"event": "step"' "$OUT/train.jsonl" | tail -1 | cut -c1-240)"

say "2. pack"
"$PY" - "$RUN" >>"$log" 2>&1 <<'EOF'
import json, os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "scripts"))
import demo_voice  # pack_state: fp32 weights + bf16 Adam moments into resources/voices/demo-tacotron2-training (this copy)
print(json.dumps(demo_voice.pack_state(sys.argv[1], "../shared/data/lj-train")))
EOF
(cd "$root" && tar czf - resources/voices/demo-tacotron2-training | split -b 15M - "$OUT/state.tgz.part-")
(cd "$RUN" && tar czf "$OUT/plots.tgz" run.json metrics.jsonl alignment_health.json plots samples 2>>"$log")
ls -la "$OUT" >>"$log"

[[ -n "$BENCH_CONFIGS" ]] || { say "done (no bench)"; exit 0; }
say "3. bench: $BENCH_CONFIGS"
args=(); for c in $BENCH_CONFIGS; do args+=(--config "$c"); done
timeout 90 "$PY" -m formant_trainer bench "$FEATURES" --device auto --steps "$BENCH_STEPS" "${args[@]}" >"$OUT/bench.jsonl" 2>>"$log"
say "bench exit $?"; cat "$OUT/bench.jsonl" | tee -a "$log"
say "done"
