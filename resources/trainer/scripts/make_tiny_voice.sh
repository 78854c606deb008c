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
# A character voice trained on a dataset reads the transcripts as shared/text cleans them: without --text-csv, the
# TypeScript CLI writes them to a temporary cleaned.csv (the dataset, e.g. ../shared/data, stays untouched).
args=("$@")
dataset="" text_csv=""
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in --dataset) dataset="${args[i + 1]:-}" ;; --text-csv) text_csv=1 ;; esac
done
if [[ -n "$dataset" && -z "$text_csv" && " $* " != *" --phonemes "* ]]; then
  text_csv="$(mktemp -d)/cleaned.csv"
  node "$root/bin/formant.mjs" clean-text "$dataset" --out "$text_csv" >&2
  args+=(--text-csv "$text_csv")
fi
cd "$here" && exec "$py" -m formant_trainer make-tiny-voice --out "$out" "${args[@]}"
