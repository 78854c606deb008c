"""audio.py reproduces the shared mel test vectors (shared/dsp/testvectors, produced by the TypeScript-side
reference) within 1e-4, for both presets, whose values it reads from shared/dsp/melPresets.json."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO, TRAINER
from formant_trainer import audio

VECTORS = REPO / "shared" / "dsp" / "testvectors"


def _vectors():
    if not VECTORS.is_dir():
        return []
    return sorted(VECTORS.glob("*.npy"))


@pytest.mark.parametrize("npy", _vectors(), ids=lambda p: p.name)
def test_mel_matches_shared_test_vectors(npy):
    fixture, preset = npy.name.split(".")[:2]
    x, rate = audio.load_wav(str(VECTORS / f"{fixture}.wav"))
    assert rate == audio.get_preset(preset)["sampleRate"]
    expected = np.load(npy)
    got = audio.mel_spectrogram(x, preset)
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) < 1e-4


def test_test_vectors_are_present():
    assert len(_vectors()) >= 4, f"expected the mel test vectors in {VECTORS}"


def test_presets_are_read_from_the_shared_json(tmp_path):
    """TypeScript owns the presets (shared/dsp/melPresets.json, read by melPresets.ts): the trainer takes them from
    that file, and from $FORMANT_MEL_PRESETS_JSON when a tool points it elsewhere."""
    assert audio.PRESETS == json.loads((REPO / "shared" / "dsp" / "melPresets.json").read_text(encoding="utf-8"))
    changed = json.loads((REPO / "shared" / "dsp" / "melPresets.json").read_text(encoding="utf-8"))
    changed["nvidia"]["hopLength"] = 200
    (tmp_path / "melPresets.json").write_text(json.dumps(changed), encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", "from formant_trainer import audio; print(audio.get_preset('nvidia')['hopLength'])"],
                       cwd=TRAINER, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(TRAINER), "FORMANT_MEL_PRESETS_JSON": str(tmp_path / "melPresets.json")})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "200"


def test_the_packaged_app_ships_the_presets_next_to_the_trainer():
    """electron-builder copies shared/dsp/melPresets.json to where shared_json looks in a packaged app."""
    from formant_trainer import shared_json
    builder = (REPO / "electron-builder.yml").read_text(encoding="utf-8")
    for which in (shared_json.MEL_PRESETS, shared_json.SYMBOLS, shared_json.PHONEME_SYMBOLS):
        target = "trainer/" + shared_json.packaged_path(which).relative_to(TRAINER).as_posix()
        assert f"- from: {which[0]}\n    to: {target}\n" in builder, which[0]


def test_sine_peaks_in_the_right_mel_band():
    p = audio.get_preset("nvidia")
    t = np.arange(22050) / 22050
    mel = audio.mel_spectrogram(0.5 * np.sin(2 * np.pi * 1000 * t), "nvidia")
    centers = audio.mel_to_hz(np.linspace(audio.hz_to_mel(0, False), audio.hz_to_mel(8000, False), p["nMels"] + 2), False)[1:-1]
    band = int(np.argmax(mel[:, mel.shape[1] // 2]))
    assert abs(centers[band] - 1000) < 60


def test_trim_silence_keeps_speech_and_drops_pads():
    rate = 22050
    x = np.concatenate([np.zeros(rate // 2), 0.3 * np.sin(np.arange(rate) * 0.1), np.zeros(rate // 2)])
    y = audio.trim_silence(x, rate, keep_seconds=0.05)
    assert rate <= len(y) < rate + 0.2 * rate


def test_bad_sample_rate_is_a_clear_error(tmp_path):
    import soundfile as sf
    sf.write(tmp_path / "a.wav", np.zeros(1600, dtype=np.float32), 16000)
    with pytest.raises(ValueError, match="16000 Hz"):
        audio.load_wav(str(tmp_path / "a.wav"), 22050)
