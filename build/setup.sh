#!/usr/bin/env bash
# Sets up a checkout of Formant Studio on a fresh machine (Linux, macOS, Windows with Git Bash).
#   bash build/setup.sh            # system tools (Debian/Ubuntu, when root), npm packages, trainer venv
#   SKIP_APT=1 bash build/setup.sh # leave system packages alone
#   bash build/setup.sh --bench    # also what the benchmarks compare against (Debian's PyTorch 1.13, pocketsphinx)
# Online, `npm ci` fetches Electron's binary, onnxruntime's CUDA provider and a bundled ffmpeg.
# Where those downloads are impossible (offline or firewalled machines), it falls back to an
# install without them: the web mode and the CLI work with the system ffmpeg and ORT's CPU build.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

# ---- system packages (Debian/Ubuntu only, as root; elsewhere, say what is missing) ----
APT_PKGS=(ffmpeg sox espeak-ng chromium)
# Reference tools for `npm run bench:*` only (large: Debian's torch pulls ~160 packages), so CI skips them.
BENCH_PKGS=(python3-torch libopenblas0-pthread pocketsphinx pocketsphinx-en-us)
[[ " $* " == *" --bench "* ]] && APT_PKGS+=("${BENCH_PKGS[@]}")
if [[ -z "${SKIP_APT:-}" ]] && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
  missing=()
  for p in "${APT_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
command -v ffmpeg >/dev/null || log "note: no ffmpeg on PATH; the npm package ffmpeg-static provides one when it could download it"

# ---- npm packages ----
offline_env() {
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip FFMPEG_BIN="${FFMPEG_BIN:-$(command -v ffmpeg || echo ffmpeg)}" "$@"
}
if [[ -n "${FORMANT_OFFLINE:-}" || -n "${CI:-}" ]]; then
  log "npm ci (offline mode: no Electron binary, ORT CPU only, system ffmpeg)"
  offline_env npm ci --no-audit --no-fund
elif ! npm ci --no-audit --no-fund; then
  log "npm ci could not download Electron/ffmpeg/CUDA binaries; retrying in offline mode"
  offline_env npm ci --no-audit --no-fund
fi

# ---- the compiled CLI, web server and worker threads (out/cli): `formant` starts without loading TypeScript ----
# bin/formant.mjs runs the sources through tsx instead whenever they changed since this build (`npm run build:cli`).
node build/buildCli.mjs

# ---- the trainer's Python environment (optional: only `formant train` and the trainer tests need it) ----
if [[ -f resources/trainer/requirements.txt && -z "${SKIP_PYTHON:-}" ]]; then
  bash resources/trainer/setup-venv.sh || log "note: trainer environment not set up; \`formant train\` will explain what is missing"
  # bench:voice's recognizer (the pip package ships its en-us model; its sounddevice dependency is only for live input);
  # the tests check that it transcribes reproducibly (bench/voice.recognize.spec.ts).
  if [[ -x .venv/bin/pip ]]; then
    .venv/bin/pip install -q --disable-pip-version-check --retries 0 --timeout 15 --no-deps pocketsphinx || log "note: pocketsphinx not installed; bench:voice will say so"
  fi
fi
log "done"
