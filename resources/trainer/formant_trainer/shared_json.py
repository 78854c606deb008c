"""Where the trainer finds the JSON files TypeScript owns: the symbol tables (shared/text/symbols.json,
phonemeSymbols.json) and the mel presets (shared/dsp/melPresets.json). TypeScript writes them, Python only reads.

First hit wins:
  1. the environment variable named for the file (a path), for tools that run the trainer from elsewhere;
  2. <repo>/shared/…, found relative to this file (resources/trainer/formant_trainer/);
  3. the file's name next to this file: packaged apps, whose resources/ no longer sit beside shared/, get a copy
     there at build time (electron-builder.yml extraResources)."""
from __future__ import annotations

import json
import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent
REPO = _HERE.parents[2]

SYMBOLS = ("shared/text/symbols.json", "FORMANT_SYMBOLS_JSON")
PHONEME_SYMBOLS = ("shared/text/phonemeSymbols.json", "FORMANT_PHONEME_SYMBOLS_JSON")
MEL_PRESETS = ("shared/dsp/melPresets.json", "FORMANT_MEL_PRESETS_JSON")


class SharedFileMissing(FileNotFoundError):
    pass


def repo_path(which: tuple) -> Path:
    return REPO / which[0]


def packaged_path(which: tuple) -> Path:
    return _HERE / Path(which[0]).name


def find(which: tuple) -> Path:
    rel, env_var = which
    env = os.environ.get(env_var)
    candidates = ([Path(env)] if env else []) + [repo_path(which), packaged_path(which)]
    for p in candidates:
        if p.is_file():
            return p
    raise SharedFileMissing(f"{Path(rel).name} not found; looked at " + ", ".join(str(p) for p in candidates)
                            + f" (set {env_var} or copy {rel} next to formant_trainer/)")


def load(which: tuple):
    with open(find(which), encoding="utf-8") as f:
        return json.load(f)
