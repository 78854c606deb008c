#!/usr/bin/env bash
# A tiny voice bundle for tests and development (untrained unless --dataset/--steps are given):
#   bash resources/trainer/scripts/make_tiny_voice.sh                      # → test-output/tiny-voice (seconds)
#   bash resources/trainer/scripts/make_tiny_voice.sh out/dir --dataset ../shared/data/lj-small --steps 200
#   bash resources/trainer/scripts/make_tiny_voice.sh out/dir --phonemes    # phoneme input (voice.json text.phonemizer)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/test-output/tiny-voice}"
shift || true
py="${FORMANT_PYTHON:-$root/.venv/bin/python}"
[[ -x "$py" ]] || py=/usr/bin/python3
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
cd "$here" && exec "$py" -m formant_trainer make-tiny-voice --out "$out" "$@"
