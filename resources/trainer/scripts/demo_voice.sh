#!/usr/bin/env bash
# Train the shipped demo voice for a wall-clock budget, resuming where the last chunk (or the committed state) stopped,
# then pack the state into resources/voices/<bundle>-training/ and export resources/voices/<bundle>/ (--model fastpitch: demo,
# the default voice; tacotron2: demo-tacotron2). At nice 10: a shared box.
#   bash resources/trainer/scripts/demo_voice.sh --minutes 40
#   bash resources/trainer/scripts/demo_voice.sh --export-only
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
py="${FORMANT_PYTHON:-$root/.venv/bin/python}"
[[ -x "$py" ]] || py=python3
exec nice -n "${FORMANT_NICE:-10}" "$py" "$here/demo_voice.py" "$@"
