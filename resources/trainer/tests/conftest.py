"""Shared fixtures: paths, a synthetic LJSpeech-layout dataset (generated audio, runs anywhere) and lj-small
(real speech from ../shared/data, skipped when absent)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

TRAINER = Path(__file__).resolve().parents[1]
REPO = TRAINER.parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(TRAINER))


def _quiet():
    import torch
    if hasattr(torch.backends, "nnpack") and hasattr(torch.backends.nnpack, "set_flags"):
        torch.backends.nnpack.set_flags(False)
    torch.set_num_threads(1)  # tiny models: one thread is several times faster on a busy 2-core machine


_quiet()


def formant_cli(*args, cwd=None) -> subprocess.CompletedProcess:
    """The app's CLI (bin/formant.mjs) on this machine's Node: what writes the text the trainer reads."""
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (the dataset's cleaned.csv is written by the TypeScript CLI)")
    return subprocess.run([node, str(REPO / "bin" / "formant.mjs"), *args], cwd=cwd or REPO, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="session")
def lj_small(tmp_path_factory) -> Path:
    """../shared/data/lj-small as the trainer needs it: its metadata.csv and wavs (linked, the shared data stays
    untouched) plus the cleaned.csv that `formant clean-text` writes (the trainer never cleans text itself)."""
    d = SHARED_DATA / "lj-small"
    if not (d / "metadata.csv").is_file():
        pytest.skip(f"{d} not present (real speech for training tests)")
    ds = tmp_path_factory.mktemp("lj-small") / "lj-small"
    ds.mkdir()
    (ds / "wavs").symlink_to(d / "wavs", target_is_directory=True)
    shutil.copyfile(d / "metadata.csv", ds / "metadata.csv")
    r = formant_cli("clean-text", str(ds))
    assert r.returncode == 0 and (ds / "cleaned.csv").is_file(), r.stdout + r.stderr
    return ds


SYNTH_TEXTS = ["hello there.", "a cat sat.", "one two three.", "good morning, sir.", "it is late.", "yes, indeed."]


def write_synthetic_dataset(root: Path, n: int = 6, seconds: float = 0.8) -> Path:
    """Harmonic tones with a per-clip pitch and an envelope, 0.1 s digital silence each side, transcripts above."""
    import soundfile as sf
    root.mkdir(parents=True, exist_ok=True)
    (root / "wavs").mkdir(exist_ok=True)
    rate = 22050
    rng = np.random.default_rng(0)
    lines = []
    for i in range(n):
        t = np.arange(int(seconds * rate)) / rate
        f0 = 110 + 20 * i
        x = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6)) * np.hanning(len(t)) * 0.3
        x = x + 0.003 * rng.standard_normal(len(t))
        x = np.concatenate([np.zeros(2205), x, np.zeros(2205)])
        uid = f"SYN-{i:04d}"
        sf.write(root / "wavs" / f"{uid}.wav", x.astype(np.float32), rate, subtype="PCM_16")
        text = SYNTH_TEXTS[i % len(SYNTH_TEXTS)]
        lines.append(f"{uid}|{text}|{text}")
    (root / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # SYNTH_TEXTS are already what shared/text's english cleaners give (lowercase, spelled out): cleaned.csv as
    # `formant clean-text` writes it (test_text_ids.py checks that against the real CLI).
    (root / "cleaned.csv").write_text("".join(l.split("|")[0] + "|" + l.split("|")[1] + "\n" for l in lines), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def synthetic_dataset(tmp_path_factory) -> Path:
    return write_synthetic_dataset(tmp_path_factory.mktemp("synth") / "dataset")


def trainer_cmd(*args) -> list:
    return [sys.executable, "-m", "formant_trainer", *args]


def run_trainer(*args, timeout=300, env=None) -> subprocess.CompletedProcess:
    e = {**os.environ, "PYTHONPATH": str(TRAINER), **(env or {})}
    return subprocess.run(trainer_cmd(*args), cwd=TRAINER, capture_output=True, text=True, timeout=timeout, env=e)


def json_lines(stdout: str) -> list:
    import json
    out = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out
