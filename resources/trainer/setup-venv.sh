#!/usr/bin/env bash
# Creates the trainer's Python environment at <repo>/.venv from requirements.txt.
#   bash resources/trainer/setup-venv.sh          # idempotent: skips when already satisfied
#   PYTHON=/path/to/python3 bash resources/trainer/setup-venv.sh
# pip's configuration decides where wheels come from (here: a local wheelhouse, offline).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.venv"
req="$here/requirements.txt"
py="${PYTHON:-$(command -v python3 || echo /usr/bin/python3)}"
log() { printf '\033[1mtrainer venv:\033[0m %s\n' "$*" >&2; }

stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  log "up to date ($venv)"; exit 0
fi
if [[ ! -x "$venv/bin/python" ]]; then
  log "creating $venv with $py ($("$py" --version 2>&1))"
  "$py" -m venv "$venv"
fi
log "installing $(grep -cvE '^\s*(#|$)' "$req") pinned packages"
# --retries 0: where PyPI is unreachable (offline machines), fail over to the configured local indexes at once
"$venv/bin/python" -m pip install -q --disable-pip-version-check --retries 0 --timeout 15 -r "$req"
"$venv/bin/python" -c "import torch, onnx, onnxruntime, numpy; print('torch', torch.__version__, 'onnx', onnx.__version__, 'ort', onnxruntime.__version__)" >&2
echo "$want" > "$stamp"
log "ready: $venv/bin/python -m formant_trainer --help (from resources/trainer)"
