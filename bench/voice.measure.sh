#!/usr/bin/env bash
# Measures seconds per training step of the demo-voice candidate configs on this machine (a handful of steps each).
#   bash bench/voice.measure.sh <ljspeech-dir> [steps=4]      → one JSON line per candidate
# Why: the config of the shipped demo voice is chosen by what this CPU can train within a session (README: demo voice).
set -euo pipefail
data="${1:?usage: voice.measure.sh <ljspeech-dir> [steps]}"; steps="${2:-4}"
root="$(cd "$(dirname "$0")/.." && pwd)"
py="${FORMANT_PYTHON:-$root/.venv/bin/python}"; [[ -x "$py" ]] || py=python3
work="${FORMANT_MEASURE_DIR:-/tmp/formant-voice-measure}"; mkdir -p "$work/cache"
common=(--set batch_size=8 --set max_wav_seconds=6.0 --set cpu_threads=1 --set guided_attention=true
        --set checkpoint_every=100000 --set validate_every=100000 --set n_val=2
        --set symbols_embedding_dim=128 --set encoder_embedding_dim=128 --set prenet_dim=128 --set attention_dim=64
        --set attention_location_n_filters=16 --set postnet_embedding_dim=128)
declare -A cand=(
  [r3-192]="--set n_frames_per_step=3 --set attention_rnn_dim=192 --set decoder_rnn_dim=192"
  [r4-192]="--set n_frames_per_step=4 --set attention_rnn_dim=192 --set decoder_rnn_dim=192"
  [r5-192]="--set n_frames_per_step=5 --set attention_rnn_dim=192 --set decoder_rnn_dim=192"
  [r4-256]="--set n_frames_per_step=4 --set attention_rnn_dim=256 --set decoder_rnn_dim=256"
)
for name in ${CANDIDATES:-r3-192 r4-192 r5-192 r4-256}; do
  run="$work/$name"; rm -rf "$run"; mkdir -p "$run"; ln -s "$work/cache" "$run/cache"
  # shellcheck disable=SC2086
  (cd "$root/resources/trainer" && "$py" -m formant_trainer train "$data" --out "$run" --config tiny --steps "$steps" "${common[@]}" ${cand[$name]}) > "$run/log.jsonl" 2> "$run/err.txt" || { echo "{\"candidate\":\"$name\",\"error\":\"see $run/err.txt\"}"; continue; }
  "$py" - "$run" "$name" <<'PY'
import json, sys
run, name = sys.argv[1], sys.argv[2]
ev = [json.loads(l) for l in open(run + "/log.jsonl") if l.startswith("{")]
start = next(e for e in ev if e["event"] == "start")
m = [r for r in (json.loads(l) for l in open(run + "/metrics.jsonl")) if r.get("event") == "step"]
# the trainer logs an EMA (0.9) of the step rate; invert it to per-step rates and skip step 1 (warm-up)
ema = [r["steps_per_s"] for r in m]
rates = sorted((ema[k] - 0.9 * ema[k - 1]) / 0.1 for k in range(1, len(ema)))
rate = rates[len(rates) // 2] if rates else ema[-1]
print(json.dumps({"candidate": name, "parameters": start["parameters"], "train_utterances": start["train_utterances"],
                  "s_per_step": round(1 / rate, 2), "steps_per_s": round(rate, 4), "steps": len(m), "loss": [round(x["loss"], 3) for x in m]}))
PY
done
